using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Pipeline.Storage;

namespace Pipeline.Render.Onnx;

/// <summary>
/// The render worker's loaded models, by manifest key: a model is read from the store and loaded once, then shared by
/// every chunk that uses it (loading Wav2Lip's 140 MB of weights per 10 s chunk would cost more than the chunk).
/// </summary>
public sealed class OnnxModels(IObjectStore store, IOptions<OnnxRuntimeOptions> options, ILogger<OnnxModels> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Wav2LipModel>>> _models = new(StringComparer.Ordinal);

    public Task<Wav2LipModel> GetAsync(string manifestKey, CancellationToken ct)
    {
        var lazy = _models.GetOrAdd(manifestKey, key => new Lazy<Task<Wav2LipModel>>(() => LoadAsync(key)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            _models.TryRemove(new KeyValuePair<string, Lazy<Task<Wav2LipModel>>>(manifestKey, lazy)); // a retry loads again
        }

        return task.WaitAsync(ct);
    }

    public void Dispose()
    {
        foreach (var lazy in _models.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }

        _models.Clear();
    }

    private async Task<Wav2LipModel> LoadAsync(string manifestKey)
    {
        // Not cancelled with one chunk: the load is shared by every chunk waiting for it.
        var manifest = await StoredModels.ReadManifestAsync(store, manifestKey, CancellationToken.None);
        using var model = await store.GetLocalFileAsync(manifest.ModelKey!, CancellationToken.None);
        return new Wav2LipModel(model.Path, manifest, options.Value, logger);
    }
}
