using System.Text.Json;
using Pipeline.Features;

namespace Pipeline.Encoding.Content;

/// <summary>Writes content.json with the same JSON conventions as features.json.</summary>
public static class ContentSidecarJson
{
    public static async Task WriteAsync(string path, ContentSidecar sidecar, CancellationToken ct = default)
    {
        var temp = path + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, sidecar, FeatureSidecarJson.Options, ct).ConfigureAwait(false);
        }

        File.Move(temp, path, overwrite: true);
    }
}
