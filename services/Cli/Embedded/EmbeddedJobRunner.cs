using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Cli.Embedded;

/// <summary>What a finished job left behind, read back from the job store.</summary>
public sealed record JobOutcome(Guid JobId, string OutputKey, IReadOnlyList<StageRunRecord> Stages);

/// <summary>Submits one job to the in-process orchestrator and follows it to the end, showing progress.</summary>
public sealed class EmbeddedJobRunner(EmbeddedRuntime runtime)
{
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(15);

    public async Task<JobOutcome> RunAsync(JobSpec spec, IProgressView view, CancellationToken ct)
    {
        var watcher = runtime.Services.GetRequiredService<JobWatcher>();
        var jobId = NewId.NextGuid();
        var events = watcher.Watch(jobId);
        try
        {
            await runtime.Bus.Send(new SubmitJob(jobId, "local", spec), CancellationToken.None);
            while (true)
            {
                object message;
                try
                {
                    message = await events.ReadAsync(ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    await CancelAsync(jobId, events);
                    throw new CliException("cancelled; no output was written", ExitCodes.Cancelled);
                }

                switch (message)
                {
                    case JobProgressed p:
                        view.Update(p.Stage, p.Fraction);
                        break;
                    case JobCompleted done:
                        view.Update("done", 1);
                        return new JobOutcome(jobId, done.Output.Key, await StageRunsAsync(jobId));
                    case JobFailed when ct.IsCancellationRequested:
                        // Ctrl+C reaches ffmpeg (same process group) as fast as it reaches us, so a stage can fail
                        // from the interrupt before the cancel lands: it is still the user's interrupt.
                        await CancelAsync(jobId, events);
                        throw new CliException("cancelled; no output was written", ExitCodes.Cancelled);
                    case JobFailed failed:
                        throw new CliException(failed.Reason);
                    case JobCancelled cancelled:
                        throw new CliException($"job cancelled: {cancelled.Reason ?? "by request"}", ExitCodes.Cancelled);
                }
            }
        }
        finally
        {
            watcher.Forget(jobId);
        }
    }

    private async Task CancelAsync(Guid jobId, System.Threading.Channels.ChannelReader<object> events)
    {
        await runtime.Bus.Send(new CancelJob(jobId, "interrupted by the user"));
        using var grace = new CancellationTokenSource(CancelGrace);
        try
        {
            while (await events.ReadAsync(grace.Token) is not (JobCancelled or JobFailed or JobCompleted))
            {
            }
        }
        catch (OperationCanceledException)
        {
            // The process is exiting anyway; its ffmpeg children were told to stop.
        }
    }

    private async Task<IReadOnlyList<StageRunRecord>> StageRunsAsync(Guid jobId)
    {
        await using var scope = runtime.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        return await db.StageRuns.AsNoTracking().Where(r => r.JobId == jobId).ToListAsync();
    }
}
