using Pipeline.Features;
using Pipeline.Rendering.Exemplars;
using Pipeline.Storage;

namespace Pipeline.Render;

/// <summary>Whole .npy artifacts and exemplar banks read from the store.</summary>
internal static class StoredArrays
{
    /// <param name="key">The bank's index (bank.json); its pixels are the sibling crops.rgb.</param>
    public static async Task<ExemplarBank> ReadBankAsync(this IObjectStore store, string key, CancellationToken ct)
    {
        await using var index = await store.OpenReadAsync(key, ct);
        await using var pixels = await store.OpenReadAsync(ArtifactKeys.Sibling(key, ExemplarBank.PixelsFile), ct);
        return await ExemplarBank.ReadAsync(index, pixels, ct);
    }

    public static async Task<T[]> ReadAsync<T>(this IObjectStore store, string key, CancellationToken ct)
        where T : unmanaged
    {
        await using var stream = await store.OpenReadAsync(key, ct);
        using var reader = NpyReader.Open(stream);
        return reader.ReadAll<T>();
    }
}
