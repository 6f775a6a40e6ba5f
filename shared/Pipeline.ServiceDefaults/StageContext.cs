using System.Diagnostics;
using Pipeline.Contracts.Stages;

namespace Pipeline.ServiceDefaults;

/// <summary>What a stage's work sees: its cancellation, a progress sink, a scratch folder and a clock for its report.</summary>
public sealed class StageContext : IDisposable
{
    private readonly long _started;
    private readonly Lazy<string> _scratch;

    /// <param name="started">
    /// The <see cref="Stopwatch.GetTimestamp"/> taken with the run's <see cref="StageStarted.At"/>: its start stamp
    /// plus <see cref="Report"/>'s seconds is then the moment the work ended, on the worker's clock.
    /// </param>
    internal StageContext(Guid jobId, StageRunId run, WorkerIdentity worker, IProgress<double> progress, long started, CancellationToken cancellationToken)
    {
        _started = started;
        JobId = jobId;
        Run = run;
        Worker = worker;
        Progress = progress;
        CancellationToken = cancellationToken;
        _scratch = new Lazy<string>(() =>
        {
            var path = Path.Combine(Path.GetTempPath(), "pipeline-scratch", $"{jobId:N}-{run.Stage}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(path);
            return path;
        });
    }

    public Guid JobId { get; }

    public StageRunId Run { get; }

    public WorkerIdentity Worker { get; }

    /// <summary>Fraction 0..1 of this stage run; published throttled, so report as often as convenient.</summary>
    public IProgress<double> Progress { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>A private folder for intermediate files, removed when the stage run ends.</summary>
    public string ScratchDirectory => _scratch.Value;

    /// <summary>Whether the work's own report said its output came from the cache; the metrics tag runs with it.</summary>
    internal bool CacheHit { get; private set; }

    internal TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    public StageReport Report(bool cacheHit)
    {
        CacheHit = cacheHit;
        return new(Worker.Name, Elapsed.TotalSeconds, cacheHit);
    }

    public void Dispose()
    {
        if (_scratch.IsValueCreated)
        {
            try
            {
                Directory.Delete(_scratch.Value, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
