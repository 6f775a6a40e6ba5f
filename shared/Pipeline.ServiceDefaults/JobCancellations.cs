using System.Collections.Concurrent;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// In-flight stage work per job in this process, so a job cancel stops its ffmpeg processes and inference
/// at once instead of waiting for them to finish.
/// </summary>
public sealed class JobCancellations
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<CancellationTokenSource, byte>> _running = new();
    private readonly ConcurrentDictionary<Guid, byte> _cancelled = new();

    public bool IsCancelled(Guid jobId) => _cancelled.ContainsKey(jobId);

    /// <summary>A token cancelled when the job is cancelled or <paramref name="outer"/> fires.</summary>
    public Registration Register(Guid jobId, CancellationToken outer)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _running.GetOrAdd(jobId, _ => new()).TryAdd(cts, 0);
        if (_cancelled.ContainsKey(jobId))
        {
            cts.Cancel();
        }

        return new Registration(this, jobId, cts);
    }

    public void Cancel(Guid jobId)
    {
        _cancelled.TryAdd(jobId, 0);
        if (_running.TryGetValue(jobId, out var sources))
        {
            foreach (var cts in sources.Keys)
            {
                cts.Cancel();
            }
        }
    }

    public sealed class Registration(JobCancellations owner, Guid jobId, CancellationTokenSource cts) : IDisposable
    {
        public CancellationToken Token => cts.Token;

        public void Dispose()
        {
            if (owner._running.TryGetValue(jobId, out var sources))
            {
                sources.TryRemove(cts, out _);
            }

            cts.Dispose();
        }
    }
}
