namespace Pipeline.Storage;

public sealed class ObjectNotFoundException(string key) : Exception($"artifact '{key}' is not in the object store")
{
    public string Key { get; } = key;
}
