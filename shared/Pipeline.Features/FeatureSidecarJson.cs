using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Features;

/// <summary>Reads and writes features.json with the snake_case layout Python users see.</summary>
public static class FeatureSidecarJson
{
    public const string FileName = "features.json";

    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,

        // The file is read by people and by Python, never embedded in HTML: keep '+' and quotes readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Infinite or NaN parameters would make the file unreadable by strict JSON parsers: fail instead.
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static async Task WriteAsync(string path, FeatureSidecar sidecar, CancellationToken ct = default)
    {
        // Write beside and rename, so a reader never sees a half-written sidecar.
        var temp = path + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, sidecar, Options, ct).ConfigureAwait(false);
        }

        File.Move(temp, path, overwrite: true);
    }

    public static async Task<FeatureSidecar> ReadAsync(string path, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<FeatureSidecar>(stream, Options, ct).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{path} is empty");
    }
}
