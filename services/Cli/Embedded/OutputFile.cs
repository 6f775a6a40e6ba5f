namespace Pipeline.Cli.Embedded;

/// <summary>
/// The user's --out path. Checked before any work starts (a job that cannot deliver should not run) and written
/// through a temporary sibling renamed into place, so a failed or cancelled run never leaves a partial file.
/// </summary>
public sealed class OutputFile
{
    private static readonly string[] Containers = [".mp4", ".mov", ".mkv"];

    private OutputFile(string path) => FullPath = path;

    public string FullPath { get; }

    public string Extension => Path.GetExtension(FullPath).ToLowerInvariant();

    public static OutputFile Check(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new CliException($"--out '{path}' is a folder; give a file name such as {Path.Combine(path, "dubbed.mp4")}");
        }

        var extension = Path.GetExtension(full).ToLowerInvariant();
        if (!Containers.Contains(extension))
        {
            throw new CliException($"--out '{path}' must end in {string.Join(", ", Containers)}");
        }

        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new CliException($"--out '{path}': the folder '{folder}' does not exist");
        }

        var probe = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.check");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new CliException($"--out '{path}': cannot write to '{folder}' ({ex.GetType().Name.Replace("Exception", string.Empty)})");
        }

        return new OutputFile(full);
    }

    /// <summary>Copies the finished artifact, read through <paramref name="open"/>, into place atomically.</summary>
    public Task WriteAsync(Func<CancellationToken, Task<Stream>> open, CancellationToken ct) => CopyAsync(open, FullPath, ct);

    /// <summary>
    /// Writes a companion artifact beside the output, named after it: <c>dubbed.mp4</c> gets <c>dubbed.thumb.jpg</c>
    /// for the suffix <c>.thumb.jpg</c>. Returns the full path written.
    /// </summary>
    public async Task<string> WriteSiblingAsync(Func<CancellationToken, Task<Stream>> open, string suffix, CancellationToken ct)
    {
        var path = Path.ChangeExtension(FullPath, null) + suffix;
        await CopyAsync(open, path, ct);
        return path;
    }

    private static async Task CopyAsync(Func<CancellationToken, Task<Stream>> open, string path, CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (var source = await open(ct))
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                await source.CopyToAsync(target, 1 << 20, ct);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
