namespace Pipeline.Storage;

/// <summary>
/// Time-limited download links, so a client (or a tool on another machine) can fetch a deliverable straight
/// from the store instead of through the API. Only a remote store can hand them out.
/// </summary>
public interface IPresignedUrls
{
    /// <summary>A GET URL valid for <paramref name="lifetime"/>, or null when this store has no URLs to give (local).</summary>
    Uri? GetDownloadUrl(string key, TimeSpan lifetime);
}
