using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.Storage;

/// <summary>
/// Once at start-up, aborts multipart uploads that a crashed process left behind (a live writer aborts its own
/// on failure). Only uploads older than <see cref="StaleAfter"/> are touched, so another worker's upload in
/// progress survives. Best effort: a store that cannot be reached now is logged, not fatal.
/// </summary>
public sealed class S3StaleUploadCleanup(S3ObjectStore store, ILogger<S3StaleUploadCleanup> log) : BackgroundService
{
    /// <summary>Far longer than any single artifact upload takes, even a feature-length video on a slow link.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var aborted = await store.AbortStaleMultipartUploadsAsync(StaleAfter, stoppingToken);
            log.LogInformation("Aborted {Count} stale multipart uploads in bucket {Bucket}", aborted, store.Bucket);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not sweep stale multipart uploads in bucket {Bucket}", store.Bucket);
        }
    }
}
