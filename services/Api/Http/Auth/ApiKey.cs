using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Api.Http.Auth;

/// <summary>
/// The key format, <c>pk_{prefix}_{secret}</c>: a 12-hex-digit prefix (not secret: it finds the row) and 32 random
/// bytes as base64url. Only the SHA-256 of the whole key is stored. A fast hash is enough here, unlike for passwords:
/// a 256-bit random secret cannot be guessed from its hash, however many hashes an attacker tries per second.
/// </summary>
public static class ApiKey
{
    private const string Marker = "pk_";
    private const int PrefixBytes = 6;
    private const int SecretBytes = 32;

    public sealed record Issued(string Plaintext, string Prefix, string Hash);

    public static Issued Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixBytes));
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        var key = $"{Marker}{prefix}_{secret}";
        return new Issued(key, prefix, Hash(key));
    }

    /// <summary>The prefix of a well-formed key; null for anything else, which is then refused without a lookup.</summary>
    public static string? PrefixOf(string presented)
    {
        if (presented.Length != Marker.Length + (PrefixBytes * 2) + 1 + 43 || !presented.StartsWith(Marker, StringComparison.Ordinal))
        {
            return null;
        }

        var prefix = presented.Substring(Marker.Length, PrefixBytes * 2);
        return prefix.All(char.IsAsciiHexDigitLower) && presented[Marker.Length + (PrefixBytes * 2)] == '_' ? prefix : null;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Whether the presented key hashes to the stored hash, compared in constant time.</summary>
    public static bool Matches(string presented, string storedHash)
    {
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), actual);
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        return Convert.FromHexString(storedHash, expected, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
