using System.Buffers;

namespace Pipeline.Storage;

/// <summary>
/// Object keys are relative, slash-separated paths of safe characters. Everything that builds a key from user
/// input (file names) goes through <see cref="SanitizeName"/>; everything that accepts a key checks it here, so a
/// hostile key can never escape the store's root.
/// </summary>
public static class ObjectKey
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/");

    public const int MaxLength = 512;

    public static string Validate(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength)
        {
            throw new ArgumentException($"object key must be 1..{MaxLength} characters", nameof(key));
        }

        if (key.AsSpan().IndexOfAnyExcept(Allowed) >= 0)
        {
            throw new ArgumentException($"object key '{key}' has characters outside [A-Za-z0-9._-/]", nameof(key));
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw new ArgumentException($"object key '{key}' has an empty, '.' or '..' segment", nameof(key));
            }
        }

        return key;
    }

    /// <summary>
    /// A listing prefix is a key or the start of one ("s/v1/", "s/v1/ab"); the empty prefix lists everything. Like a
    /// key it may not climb out of the store ("..") on any backend.
    /// </summary>
    public static string ValidatePrefix(string prefix)
    {
        if (prefix.Length > 0)
        {
            Validate(prefix.EndsWith('/') ? prefix[..^1] : prefix);
        }

        return prefix;
    }

    /// <summary>Turns any file name into one safe key segment, keeping its extension where it can.</summary>
    public static string SanitizeName(string? name)
    {
        var file = Path.GetFileName(name ?? string.Empty);
        Span<char> buffer = stackalloc char[Math.Min(file.Length, 100)];
        var n = 0;
        foreach (var c in file)
        {
            if (n == buffer.Length)
            {
                break;
            }

            buffer[n++] = char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_';
        }

        var safe = new string(buffer[..n]).Trim('.');
        return safe.Length == 0 ? "file" : safe;
    }
}
