using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Pipeline.Storage;

/// <summary>
/// The object store of embedded mode: a folder. Atomicity comes from writing into <c>.tmp/</c> on the same
/// file system and renaming into place, which readers observe as all-or-nothing.
/// </summary>
public sealed class LocalObjectStore : IObjectStore, IPresignedUrls
{
    private const string TempFolder = ".tmp";
    private readonly string _root;

    public LocalObjectStore(IOptions<ObjectStoreOptions> options)
        : this(options.Value.LocalRoot)
    {
    }

    public LocalObjectStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(Path.Combine(_root, TempFolder));
    }

    public string Root => _root;

    public Task<ObjectInfo?> StatAsync(string key, CancellationToken ct = default)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? Info(key, file) : null);
    }

    public async Task<ObjectInfo> PutAsync(string key, Stream content, string? contentType = null, CancellationToken ct = default)
    {
        var target = PathOf(key);
        var temp = NewTempPath();
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                await content.CopyToAsync(output, 1 << 20, ct);
                await output.FlushAsync(ct);
            }

            return Commit(key, temp, target);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public async Task<ObjectInfo> PutFileAsync(string key, string path, string? contentType = null, CancellationToken ct = default)
    {
        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return await PutAsync(key, input, contentType, ct);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            throw new ObjectNotFoundException(key);
        }

        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Task.FromResult(stream);
    }

    public Task<LocalFileLease> GetLocalFileAsync(string key, CancellationToken ct = default)
    {
        // Objects are immutable once committed, so tools can read the stored file itself: no copy.
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            throw new ObjectNotFoundException(key);
        }

        return Task.FromResult(new LocalFileLease(path, deleteOnDispose: false));
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        TryDelete(PathOf(key));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        // Without this, "../" would list the folder above the store's root.
        ObjectKey.ValidatePrefix(prefix);
        await Task.CompletedTask;
        var directory = Path.Combine(_root, Path.GetDirectoryName(prefix.Replace('/', Path.DirectorySeparatorChar)) ?? string.Empty);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal) && !key.StartsWith(TempFolder + "/", StringComparison.Ordinal))
            {
                yield return Info(key, new FileInfo(path));
            }
        }
    }

    /// <summary>Always null: a folder on this machine has no URL another machine could fetch.</summary>
    public Uri? GetDownloadUrl(string key, TimeSpan lifetime)
    {
        ObjectKey.Validate(key);
        return null;
    }

    private ObjectInfo Commit(string key, string temp, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(temp, target, overwrite: true);
        return Info(key, new FileInfo(target));
    }

    private string PathOf(string key) => Path.Combine(_root, ObjectKey.Validate(key).Replace('/', Path.DirectorySeparatorChar));

    private string NewTempPath() => Path.Combine(_root, TempFolder, Guid.NewGuid().ToString("N"));

    private static ObjectInfo Info(string key, FileInfo file) => new(key, file.Length, file.LastWriteTimeUtc);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
