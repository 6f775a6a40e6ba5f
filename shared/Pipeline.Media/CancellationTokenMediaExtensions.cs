namespace Pipeline.Media;

internal static class CancellationTokenMediaExtensions
{
    /// <summary>Cancellation surfaces as <see cref="MediaErrorKind.Cancelled"/> everywhere, not as a bare OperationCanceledException.</summary>
    public static void ThrowIfCancellationRequestedAsMedia(this CancellationToken ct, string? path = null)
    {
        if (ct.IsCancellationRequested)
        {
            throw MediaErrors.Cancelled("ffmpeg", path);
        }
    }
}
