using System.Text.Json;

namespace Pipeline.Storage;

/// <summary>Small JSON objects beside artifacts: what a stage measured, so a cache hit can answer without redoing it.</summary>
public static class ObjectStoreJsonExtensions
{
    public static async Task PutJsonAsync<T>(this IObjectStore store, string key, T value, CancellationToken ct = default)
    {
        using var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(value));
        await store.PutAsync(key, json, "application/json", ct);
    }

    public static async Task<T> ReadJsonAsync<T>(this IObjectStore store, string key, CancellationToken ct = default)
    {
        await using var stream = await store.OpenReadAsync(key, ct);
        return await JsonSerializer.DeserializeAsync<T>(stream, cancellationToken: ct)
            ?? throw new InvalidDataException($"artifact '{key}' holds no JSON value");
    }
}
