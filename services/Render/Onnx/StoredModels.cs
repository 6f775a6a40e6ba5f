using System.Text.Json;
using Pipeline.Storage;

namespace Pipeline.Render.Onnx;

/// <summary>
/// A model manifest and its model in the object store, content-addressed so any worker can read them: the model under
/// the hash of its bytes, the manifest (with <see cref="OnnxModelManifest.ModelKey"/> naming that key) under the hash
/// of its own. The same model and manifest imported twice land on the same keys, so render chunks stay cache hits.
/// </summary>
public static class StoredModels
{
    public const string ManifestFile = "manifest.json";

    /// <summary>Validates the manifest at <paramref name="manifestPath"/>, stores its model and itself; returns the manifest's key.</summary>
    public static async Task<string> ImportAsync(IObjectStore store, string manifestPath, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var manifest = OnnxModelManifest.Load(manifestPath);
        var model = manifest.Model!;
        var modelKey = ArtifactKeys.ForInput(await ArtifactKeys.Sha256HexOfFileAsync(model, ct), Path.GetFileName(model));
        if (await store.StatAsync(modelKey, ct) is null)
        {
            await store.PutFileAsync(modelKey, model, "application/octet-stream", ct);
        }

        var stored = manifest with { Model = Path.GetFileName(model), ModelKey = modelKey };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(stored, OnnxModelManifest.Json);
        using var content = new MemoryStream(bytes, writable: false);
        var key = ArtifactKeys.ForInput(await ArtifactKeys.Sha256HexAsync(content, ct), ManifestFile);
        if (await store.StatAsync(key, ct) is null)
        {
            content.Position = 0;
            await store.PutAsync(key, content, "application/json", ct);
        }

        return key;
    }

    /// <summary>The stored manifest at <paramref name="key"/>, validated, with its model's key.</summary>
    public static async Task<OnnxModelManifest> ReadManifestAsync(IObjectStore store, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var stream = await store.OpenReadAsync(key, ct);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        var manifest = OnnxModelManifest.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), key);
        manifest.Validate(key);
        if (string.IsNullOrEmpty(manifest.ModelKey))
        {
            throw new ModelManifestException($"{key}: the stored manifest has no \"model_key\": import it with the CLI (--model) or StoredModels.ImportAsync");
        }

        return manifest;
    }
}
