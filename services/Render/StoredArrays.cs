using Pipeline.Features;
using Pipeline.Storage;

namespace Pipeline.Render;

/// <summary>Whole .npy artifacts read from the store.</summary>
internal static class StoredArrays
{
    public static async Task<T[]> ReadAsync<T>(this IObjectStore store, string key, CancellationToken ct)
        where T : unmanaged
    {
        await using var stream = await store.OpenReadAsync(key, ct);
        using var reader = NpyReader.Open(stream);
        return reader.ReadAll<T>();
    }
}
