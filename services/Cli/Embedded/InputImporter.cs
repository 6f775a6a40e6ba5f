using Pipeline.Contracts.Artifacts;
using Pipeline.Storage;

namespace Pipeline.Cli.Embedded;

/// <summary>
/// Puts a user's file into the object store under the hash of its bytes, so the same file given twice (or dubbed
/// into ten languages) is stored once and every stage downstream can hit its cache.
/// </summary>
public sealed class InputImporter(IObjectStore store)
{
    public async Task<ArtifactRef> ImportAsync(string path, string option, CancellationToken ct)
    {
        var (file, sha) = await HashAsync(path, option, ct);
        var key = ArtifactKeys.ForInput(sha, file.Name);
        var existing = await store.StatAsync(key, ct);
        var size = existing?.SizeBytes ?? (await store.PutFileAsync(key, file.FullName, null, ct)).SizeBytes;
        return new ArtifactRef(key, size);
    }

    /// <summary>Checks a user's input file (exists, is a file, is not empty, is readable) and hashes its bytes.</summary>
    public static async Task<(FileInfo File, string Sha256)> HashAsync(string path, string option, CancellationToken ct)
    {
        var file = new FileInfo(path);
        if (Directory.Exists(path))
        {
            throw new CliException($"{option} '{path}' is a folder, not a file");
        }

        if (!file.Exists)
        {
            throw new CliException($"{option} '{path}' does not exist");
        }

        if (file.Length == 0)
        {
            throw new CliException($"{option} '{path}' is empty (0 bytes)");
        }

        try
        {
            return (file, await ArtifactKeys.Sha256HexOfFileAsync(file.FullName, ct));
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"{option} '{path}' cannot be read: permission denied");
        }
    }
}
