using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Pipeline.Features;

/// <summary>
/// The NPY 1.0 header (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): magic, version,
/// little-endian header length, then a Python dict literal padded with spaces and ended by '\n' so the data
/// starts on a 64-byte boundary.
/// </summary>
public static class NpyHeader
{
    /// <summary>
    /// Header size our writer always uses. Fixed so a streaming writer can rewrite the shape in place at the end:
    /// 128 bytes fit the dict with two 20-digit dimensions and stay a multiple of 64.
    /// </summary>
    public const int WriterHeaderBytes = 128;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Builds a version-1.0 header of exactly <paramref name="totalBytes"/> bytes.</summary>
    public static byte[] Build(NpyDType dtype, ReadOnlySpan<long> shape, int totalBytes = WriterHeaderBytes)
    {
        if (totalBytes % 64 != 0)
        {
            throw new ArgumentException("the NPY header must end on a 64-byte boundary", nameof(totalBytes));
        }

        var dict = $"{{'descr': '{dtype.Descr()}', 'fortran_order': False, 'shape': {ShapeLiteral(shape)}, }}";
        var headerLength = totalBytes - 10;
        if (dict.Length + 1 > headerLength || headerLength > ushort.MaxValue)
        {
            throw new ArgumentException($"shape {ShapeLiteral(shape)} does not fit a {totalBytes}-byte header", nameof(shape));
        }

        var bytes = new byte[totalBytes];
        Magic.CopyTo(bytes);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        var text = bytes.AsSpan(10, headerLength);
        text.Fill((byte)' ');
        Encoding.ASCII.GetBytes(dict, text);
        text[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>A Python tuple literal: <c>()</c>, <c>(5,)</c>, <c>(5, 80)</c>.</summary>
    public static string ShapeLiteral(ReadOnlySpan<long> shape) => shape.Length switch
    {
        0 => "()",
        1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
        _ => "(" + string.Join(", ", shape.ToArray().Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
    };

    /// <summary>Reads and validates a header (versions 1.0, 2.0 and 3.0), leaving the stream at the first data byte.</summary>
    public static NpyArrayInfo Read(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[12];
        stream.ReadExactly(prefix[..8]);
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new NpyFormatException("not an npy file (bad magic)");
        }

        var major = prefix[6];
        int headerLength;
        int prefixLength;
        if (major == 1)
        {
            stream.ReadExactly(prefix.Slice(8, 2));
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
            prefixLength = 10;
        }
        else if (major is 2 or 3)
        {
            stream.ReadExactly(prefix.Slice(8, 4));
            var length = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
            if (length > 1 << 20)
            {
                throw new NpyFormatException($"npy header of {length} bytes is implausible");
            }

            headerLength = (int)length;
            prefixLength = 12;
        }
        else
        {
            throw new NpyFormatException($"unsupported npy version {major}.{prefix[7]}");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(header);
        var info = ParseDict(text);
        return info with { DataOffset = prefixLength + headerLength };
    }

    private static NpyArrayInfo ParseDict(string text)
    {
        var descr = StringValue(text, "descr");
        var fortran = RawValue(text, "fortran_order").StartsWith("True", StringComparison.Ordinal);
        if (fortran)
        {
            throw new NpyFormatException("Fortran-order npy arrays are not supported");
        }

        var shapeText = RawValue(text, "shape");
        var close = shapeText.IndexOf(')', StringComparison.Ordinal);
        if (!shapeText.StartsWith('(') || close < 0)
        {
            throw new NpyFormatException($"bad npy shape in header: {text}");
        }

        var dims = shapeText[1..close]
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.TryParse(d.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new NpyFormatException($"bad npy dimension '{d}'"))
            .ToArray();
        return new NpyArrayInfo(NpyDTypes.Parse(descr), dims, 0);
    }

    private static string RawValue(string text, string key)
    {
        var at = text.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new NpyFormatException($"npy header has no '{key}': {text}");
        }

        var colon = text.IndexOf(':', at);
        return colon < 0 ? throw new NpyFormatException($"bad npy header: {text}") : text[(colon + 1)..].TrimStart();
    }

    private static string StringValue(string text, string key)
    {
        var raw = RawValue(text, key);
        var quote = raw.Length > 0 ? raw[0] : '\0';
        var end = quote is '\'' or '"' ? raw.IndexOf(quote, 1) : -1;
        return end < 0 ? throw new NpyFormatException($"bad npy '{key}': {text}") : raw[1..end];
    }
}
