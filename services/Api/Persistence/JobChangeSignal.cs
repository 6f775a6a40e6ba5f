using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Pipeline.Api.Persistence;

/// <summary>
/// Wakes whoever follows jobs live (the dashboard's event stream) the moment this process saves a change to the job
/// store: every orchestrator transition saves through a <see cref="JobDbContext"/>, so this interceptor sees them all
/// without a line in the orchestrator. Changes saved by another Api replica are found by the followers' own poll.
/// </summary>
public sealed class JobChangeSignal : SaveChangesInterceptor
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next save in this process; a caller waits on it with its own timeout.</summary>
    public Task NextChange => Volatile.Read(ref _next).Task;

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (result > 0)
        {
            Interlocked.Exchange(ref _next, NewSource()).TrySetResult();
        }

        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (result > 0)
        {
            Interlocked.Exchange(ref _next, NewSource()).TrySetResult();
        }

        return result;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
