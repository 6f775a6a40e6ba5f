using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Pipeline.Storage;

namespace Pipeline.Api.Http.Downloads;

/// <summary>
/// Signs and checks the Api's own download tokens, for a store that has no URLs to give (the local folder):
/// <c>base64url(key).expiry.base64url(HMAC-SHA256(secret, key + '\n' + expiry))</c>. The secret is
/// Api:DownloadSigningKey, else one generated once and kept beside the store's objects, so links survive restarts.
/// </summary>
public sealed class DownloadSigner
{
    /// <summary>A file name with a character object keys may not hold: no key, and so no download, can reach it.</summary>
    public const string GeneratedKeyFile = "~api/download-signing.key";

    private readonly byte[] _secret;

    public DownloadSigner(IOptions<DownloadOptions> api, IOptions<ObjectStoreOptions> store)
    {
        _secret = api.Value.DownloadSigningKey is { Length: > 0 } configured
            ? Encoding.UTF8.GetBytes(configured)
            : LoadOrCreate(Path.Combine(Path.GetFullPath(store.Value.LocalRoot), GeneratedKeyFile));
    }

    public string Sign(string key, DateTimeOffset expiresAt)
    {
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key))}.{expiry}.{Base64Url.EncodeToString(Mac(key, expiry))}";
    }

    /// <summary>The key a token grants, or null when it is malformed, tampered with, or expired at <paramref name="now"/>.</summary>
    public string? Verify(string token, DateTimeOffset now)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            return null;
        }

        try
        {
            var key = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0]));
            var mac = Base64Url.DecodeFromChars(parts[2]);
            if (!CryptographicOperations.FixedTimeEquals(mac, Mac(key, parts[1])))
            {
                return null;
            }

            return now.ToUnixTimeSeconds() < expiry ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private byte[] Mac(string key, string expiry) => HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes($"{key}\n{expiry}"));

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromHexString(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = RandomNumberGenerator.GetBytes(32);
        try
        {
            // CreateNew: of two processes starting on one store, the second reads the first one's secret.
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            file.Write(Encoding.ASCII.GetBytes(Convert.ToHexString(secret)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Convert.FromHexString(File.ReadAllText(path).Trim());
        }
    }
}
