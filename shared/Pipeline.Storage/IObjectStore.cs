namespace Pipeline.Storage;

/// <summary>
/// The artifact store every stage reads from and writes to. Writes are atomic: an object is either absent
/// or complete, never half-written, so a crashed writer leaves nothing a reader could mistake for output.
/// </summary>
public interface IObjectStore
{
    Task<ObjectInfo?> StatAsync(string key, CancellationToken ct = default);

    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>, replacing any previous object whole.</summary>
    Task<ObjectInfo> PutAsync(string key, Stream content, string? contentType = null, CancellationToken ct = default);

    /// <summary>Stores a local file under <paramref name="key"/>; the file is left in place.</summary>
    Task<ObjectInfo> PutFileAsync(string key, string path, string? contentType = null, CancellationToken ct = default);

    Task<Stream> OpenReadAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// A path on local disk holding the object's bytes, for tools such as ffmpeg that read files.
    /// Dispose the lease when done: a remote store removes its downloaded copy then.
    /// </summary>
    Task<LocalFileLease> GetLocalFileAsync(string key, CancellationToken ct = default);

    Task DeleteAsync(string key, CancellationToken ct = default);

    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct = default);
}

public sealed record ObjectInfo(string Key, long SizeBytes, DateTimeOffset LastModified, string? ContentType = null);
