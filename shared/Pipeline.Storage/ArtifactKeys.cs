using System.Security.Cryptography;
using System.Text.Json;

namespace Pipeline.Storage;

/// <summary>
/// Content-addressed keys (DESIGN.md §2): <c>stage/v{version}/{sha256(inputs+options)}/{name}</c>.
/// The same inputs and options always give the same key, so an existing key is a finished result: retries,
/// resumes and scheduled re-runs skip the work. Bump a stage's version whenever its output would change.
/// </summary>
public static class ArtifactKeys
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>Key for a stage output. <paramref name="inputs"/> must hold only input keys and options, not job ids.</summary>
    public static string ForStage(string stage, int version, object inputs, string name)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(inputs, inputs.GetType(), Canonical);
        var hash = Convert.ToHexStringLower(SHA256.HashData(json));
        return ObjectKey.Validate($"{Segment(stage)}/v{version}/{hash}/{ObjectKey.SanitizeName(name)}");
    }

    /// <summary>Key for an uploaded input: addressed by the hash of its bytes.</summary>
    public static string ForInput(string sha256Hex, string originalName) =>
        ObjectKey.Validate($"inputs/{sha256Hex}/{ObjectKey.SanitizeName(originalName)}");

    /// <summary>Another file of the same stage output: artifacts of one run share their key's folder.</summary>
    public static string Sibling(string key, string name) =>
        ObjectKey.Validate($"{key[..(key.LastIndexOf('/') + 1)]}{ObjectKey.SanitizeName(name)}");

    public static async Task<string> Sha256HexAsync(Stream content, CancellationToken ct = default)
    {
        var hash = await SHA256.HashDataAsync(content, ct);
        return Convert.ToHexStringLower(hash);
    }

    public static async Task<string> Sha256HexOfFileAsync(string path, CancellationToken ct = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return await Sha256HexAsync(stream, ct);
    }

    private static string Segment(string stage) => ObjectKey.SanitizeName(stage).ToLowerInvariant();
}
