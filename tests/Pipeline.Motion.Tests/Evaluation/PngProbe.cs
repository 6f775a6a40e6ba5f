using System.Buffers.Binary;
using System.IO.Compression;

namespace Pipeline.Motion.Tests.Evaluation;

/// <summary>
/// Reads back the PNGs our writer makes (8-bit RGB, no interlace, filter 0 on every row): enough to check
/// a picture's size and pixels without an image library.
/// </summary>
internal static class PngProbe
{
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) HeaderSize(byte[] png)
    {
        Assert.True(png.AsSpan().StartsWith(Signature), "PNG signature");
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    public static byte[] DecodeRgb(byte[] png)
    {
        var (width, height) = HeaderSize(png);
        Assert.Equal(8, png[24]);
        Assert.Equal(2, png[25]);
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (png.AsSpan(at + 4, 4).SequenceEqual("IDAT"u8))
            {
                idat.Write(png, at + 8, length);
            }

            at += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new byte[height * ((width * 3) + 1)];
        zlib.ReadExactly(raw);
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, raw[y * ((width * 3) + 1)]);
            raw.AsSpan((y * ((width * 3) + 1)) + 1, width * 3).CopyTo(rgb.AsSpan(y * width * 3));
        }

        return rgb;
    }
}
