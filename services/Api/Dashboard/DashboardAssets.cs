using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Pipeline.Api.Dashboard;

/// <summary>One file of the dashboard: its bytes, content type and strong ETag (a hash of the bytes).</summary>
public sealed record DashboardAsset(string Name, byte[] Content, string ContentType, string ETag);

/// <summary>
/// The dashboard's files (wwwroot/, embedded in this assembly: no build step, nothing on disk to deploy), read once
/// at start-up and served from memory.
/// </summary>
public static class DashboardAssets
{
    private const string Prefix = "Pipeline.Api.Dashboard.wwwroot.";

    private static readonly Lazy<FrozenDictionary<string, DashboardAsset>> All = new(Load);

    public static DashboardAsset? Find(string name) => All.Value.GetValueOrDefault(name);

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            var content = Read(assembly, resource);
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..20]}\"";
            assets[name] = new DashboardAsset(name, content, TypeOf(name), etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
