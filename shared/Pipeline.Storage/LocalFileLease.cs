namespace Pipeline.Storage;

/// <summary>A local path to an object's bytes; disposing removes it when it was a temporary copy.</summary>
public sealed class LocalFileLease : IDisposable
{
    private readonly bool _deleteOnDispose;

    public LocalFileLease(string path, bool deleteOnDispose)
    {
        Path = path;
        _deleteOnDispose = deleteOnDispose;
    }

    public string Path { get; }

    public void Dispose()
    {
        if (_deleteOnDispose)
        {
            try
            {
                File.Delete(Path);
            }
            catch (IOException)
            {
                // Best effort: scratch space is reclaimed by the worker's scratch cleanup.
            }
        }
    }
}
