using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Rendering;

/// <summary>
/// Limited-range planar yuv420p (Y plane, then U, then V) to rgb24 and back, for one box of a frame. The renderer
/// draws in rgb24 but only inside the face's box, and only what it changed goes back: every other pixel, and every
/// chroma sample whose four pixels were left alone, keeps the decoded bytes exactly, so nothing outside the drawn
/// region is converted at all (decoding a whole 720p frame to rgb24 with swscale's exact settings cost more CPU than
/// decoding the video).
/// </summary>
/// <remarks>
/// 10-bit sources (yuv420p10le, as HDR masters are) have the same layout in 16-bit little-endian samples: the
/// <see cref="ushort"/> overloads take them, and whatever is not drawn on keeps its ten bits. Drawing itself is in
/// rgb24, so a redrawn pixel goes back with 8 bits of precision in a 10-bit sample.
/// </remarks>
public static class Yuv420Pixels
{
    private const int Channels = 3;

    /// <summary>Bytes of a yuv420p frame of an even size.</summary>
    public static int FrameBytes(int width, int height) => (width * height) + (2 * (width / 2) * (height / 2));

    /// <summary>Samples of a yuv420p frame of an even size (its bytes at 8 bits, half its bytes at 10).</summary>
    public static int FrameSamples(int width, int height) => FrameBytes(width, height);

    /// <summary>
    /// Converts the box (inclusive; its left and top even, its right and bottom odd) of a yuv420p frame into the same
    /// pixels of a full-size rgb24 frame. Chroma is taken from each pixel's own 2x2 sample; outside the box the rgb24
    /// frame is not written.
    /// </summary>
    public static void ToRgb(ReadOnlySpan<byte> yuv, int width, int height, YuvMatrix matrix, PixelBox box, Span<byte> rgb)
    {
        Check(yuv.Length, rgb.Length, width, height, box);
        var cw = width / 2;
        var planeU = width * height;
        var (rv, gu, gv, bu) = (matrix.RedFromV, matrix.GreenFromU, matrix.GreenFromV, matrix.BlueFromU);
        var planeV = planeU + (cw * (height / 2));
        for (var y = box.Top; y <= box.Bottom; y++)
        {
            var lumaRow = yuv.Slice(y * width, width);
            var uRow = yuv.Slice(planeU + ((y / 2) * cw), cw);
            var vRow = yuv.Slice(planeV + ((y / 2) * cw), cw);
            var outRow = rgb.Slice(y * width * Channels, width * Channels);

            // The box lies on whole blocks, so pixels come in pairs that share one chroma sample.
            var x = box.Left;
            if (Avx2.IsSupported)
            {
                x = ToRgbRowAvx2(lumaRow, uRow, vRow, outRow, x, box.Right, matrix);
            }

            for (; x < box.Right; x += 2)
            {
                PairToRgb(lumaRow[x], lumaRow[x + 1], uRow[x / 2], vRow[x / 2], rv, gu, gv, bu, outRow.Slice(x * Channels, 2 * Channels));
            }
        }
    }

    /// <summary>
    /// <see cref="ToRgb(ReadOnlySpan{byte}, int, int, YuvMatrix, PixelBox, Span{byte})"/> for a frame of
    /// <paramref name="bits"/>-bit samples (9 to 16; yuv420p10le is 10): each sample is read at 8-bit scale (divided by
    /// 2^(bits − 8)), so the same formula gives the same rgb24 levels.
    /// </summary>
    public static void ToRgb(ReadOnlySpan<ushort> yuv, int width, int height, int bits, YuvMatrix matrix, PixelBox box, Span<byte> rgb)
    {
        var scale = 1f / SampleScale(bits);
        Check(yuv.Length, rgb.Length, width, height, box);
        var cw = width / 2;
        var planeU = width * height;
        var planeV = planeU + (cw * (height / 2));
        var (rv, gu, gv, bu) = (matrix.RedFromV, matrix.GreenFromU, matrix.GreenFromV, matrix.BlueFromU);
        for (var y = box.Top; y <= box.Bottom; y++)
        {
            var lumaRow = yuv.Slice(y * width, width);
            var uRow = yuv.Slice(planeU + ((y / 2) * cw), cw);
            var vRow = yuv.Slice(planeV + ((y / 2) * cw), cw);
            var outRow = rgb.Slice(y * width * Channels, width * Channels);
            for (var x = box.Left; x < box.Right; x += 2)
            {
                PairToRgb(lumaRow[x] * scale, lumaRow[x + 1] * scale, uRow[x / 2] * scale, vRow[x / 2] * scale, rv, gu, gv, bu, outRow.Slice(x * Channels, 2 * Channels));
            }
        }
    }

    // Two neighbouring pixels that share one chroma sample, all at 8-bit scale. The 8-bit path passes whole levels, so
    // its values are computed exactly as before and as the AVX2 path computes them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PairToRgb(float luma0, float luma1, float u, float v, float rv, float gu, float gv, float bu, Span<byte> pair)
    {
        (u, v) = (u - 128f, v - 128f);
        var (red, green, blue) = (rv * v, -(gu * u) - (gv * v), bu * u);
        var luma = (luma0 - 16) * (255f / 219f);
        pair[0] = Byte(luma + red);
        pair[1] = Byte(luma + green);
        pair[2] = Byte(luma + blue);
        luma = (luma1 - 16) * (255f / 219f);
        pair[3] = Byte(luma + red);
        pair[4] = Byte(luma + green);
        pair[5] = Byte(luma + blue);
    }

    // 2^(bits − 8): a b-bit sample is this many times the 8-bit level it stands for.
    private static int SampleScale(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 9);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 16);
        return 1 << (bits - 8);
    }

    /// <summary>
    /// <see cref="ToRgb"/>'s row loop sixteen pixels (eight chroma samples) at a time, from <paramref name="x"/> while a
    /// whole group fits before <paramref name="right"/> (inclusive); returns where the scalar loop takes over. Every
    /// value is computed by the same float operations in the same order as the scalar loop, so the bytes are identical
    /// (no fused multiply-add; the rounding is <see cref="Byte"/>'s clamp then truncation of v + 0.5).
    /// </summary>
    private static int ToRgbRowAvx2(ReadOnlySpan<byte> lumaRow, ReadOnlySpan<byte> uRow, ReadOnlySpan<byte> vRow, Span<byte> outRow, int x, int right, YuvMatrix matrix)
    {
        var (rv, gu, gv, bu) = (Vector256.Create(matrix.RedFromV), Vector256.Create(matrix.GreenFromU), Vector256.Create(matrix.GreenFromV), Vector256.Create(matrix.BlueFromU));
        var scale = Vector256.Create(255f / 219f);
        var (c128, c16) = (Vector256.Create(128f), Vector256.Create(16));
        for (; x + 15 <= right; x += 16)
        {
            var c = x / 2;
            var u = Avx.ConvertToVector256Single(Eight(uRow[c..])) - c128;
            var v = Avx.ConvertToVector256Single(Eight(vRow[c..])) - c128;
            var (red, green, blue) = (rv * v, -(gu * u) - (gv * v), bu * u);
            var y0 = Avx.ConvertToVector256Single(Eight(lumaRow[x..]) - c16) * scale;
            var y1 = Avx.ConvertToVector256Single(Eight(lumaRow[(x + 8)..]) - c16) * scale;
            var r = Levels(y0, y1, red);
            var g = Levels(y0, y1, green);
            var b = Levels(y0, y1, blue);

            // Interleave sixteen r, g and b bytes into 48 bytes of rgb24: each output block takes its bytes from all three.
            var pixels = outRow.Slice(x * Channels, 16 * Channels);
            for (var k = 0; k < 3; k++)
            {
                var block = Ssse3.Shuffle(r, Interleave[k][0]) | Ssse3.Shuffle(g, Interleave[k][1]) | Ssse3.Shuffle(b, Interleave[k][2]);
                block.CopyTo(pixels[(16 * k)..]);
            }
        }

        return x;
    }

    // Shuffle masks for rgb24: block k (bytes 16k..16k+15) of the output, from channel ch's sixteen bytes; 0x80 = zero.
    private static readonly Vector128<byte>[][] Interleave = [.. Enumerable.Range(0, 3).Select(k => Enumerable.Range(0, 3).Select(ch =>
        Vector128.Create(Enumerable.Range(0, 16).Select(i => (16 * k) + i).Select(j => j % 3 == ch ? (byte)(j / 3) : (byte)0x80).ToArray())).ToArray())];

    // Eight bytes as eight ints.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Eight(ReadOnlySpan<byte> bytes) =>
        Avx2.ConvertToVector256Int32(Vector128.CreateScalar(MemoryMarshal.Read<ulong>(bytes)).AsByte());

    // One channel of sixteen pixels as bytes: each chroma term serves two neighbouring lumas (lanes 0,0,1,1,… then
    // 4,4,5,5,…), and each sum is rounded as Byte rounds: clamped to [0, 254.5], plus 0.5, truncated.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Levels(Vector256<float> lumaFirst, Vector256<float> lumaSecond, Vector256<float> chroma)
    {
        var first = Round(lumaFirst + Avx2.PermuteVar8x32(chroma, Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3)));
        var second = Round(lumaSecond + Avx2.PermuteVar8x32(chroma, Vector256.Create(4, 4, 5, 5, 6, 6, 7, 7)));
        var shorts = Vector256.Narrow(first.AsUInt32(), second.AsUInt32());
        return Vector128.Narrow(shorts.GetLower(), shorts.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Round(Vector256<float> value) =>
        Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(value, Vector256<float>.Zero), Vector256.Create(254.5f)) + Vector256.Create(0.5f));

    /// <summary>
    /// Writes back into the yuv420p frame what was drawn: where <paramref name="after"/> differs from
    /// <paramref name="before"/> (the <see cref="ToRgb(ReadOnlySpan{byte}, int, int, YuvMatrix, PixelBox, Span{byte})"/>
    /// of this frame) inside the box, the pixel's luma, and for each 2x2 block with any such pixel, its chroma from the
    /// block's mean colour. Everything else keeps its bytes.
    /// </summary>
    public static void WriteBack(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, int width, int height, YuvMatrix matrix, PixelBox box, Span<byte> yuv)
    {
        Check(yuv.Length, before.Length, width, height, box);
        WriteBack(before, after, width, height, matrix, box, new ByteSamples(yuv));
    }

    /// <summary>
    /// <see cref="WriteBack(ReadOnlySpan{byte}, ReadOnlySpan{byte}, int, int, YuvMatrix, PixelBox, Span{byte})"/> into a
    /// frame of <paramref name="bits"/>-bit samples: what was drawn goes back scaled by 2^(bits − 8); every sample not
    /// drawn on keeps all its bits.
    /// </summary>
    public static void WriteBack(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, int width, int height, int bits, YuvMatrix matrix, PixelBox box, Span<ushort> yuv)
    {
        var scale = SampleScale(bits);
        Check(yuv.Length, before.Length, width, height, box);
        WriteBack(before, after, width, height, matrix, box, new WideSamples(yuv, scale, (256 * scale) - 1));
    }

    private static void WriteBack<TSamples>(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, int width, int height, YuvMatrix matrix, PixelBox box, TSamples yuv)
        where TSamples : ISamples, allows ref struct
    {
        if (after.Length < before.Length)
        {
            throw new ArgumentException("the drawn frame is smaller than the original", nameof(after));
        }

        var cw = width / 2;
        var planeU = width * height;
        var planeV = planeU + (cw * (height / 2));
        var rowBytes = width * Channels;
        for (var y = box.Top; y < box.Bottom; y += 2)
        {
            var offset = y * rowBytes;
            var b0 = before.Slice(offset, rowBytes);
            var b1 = before.Slice(offset + rowBytes, rowBytes);
            var a0 = after.Slice(offset, rowBytes);
            var a1 = after.Slice(offset + rowBytes, rowBytes);
            var from = box.Left * Channels;
            var count = (box.Right - box.Left + 1) * Channels;
            if (b0.Slice(from, count).SequenceEqual(a0.Slice(from, count)) && b1.Slice(from, count).SequenceEqual(a1.Slice(from, count)))
            {
                continue; // nothing drawn on these two rows
            }

            for (var x = box.Left; x < box.Right; x += 2)
            {
                var o = x * Channels;
                var top = !b0.Slice(o, 2 * Channels).SequenceEqual(a0.Slice(o, 2 * Channels));
                var bottom = !b1.Slice(o, 2 * Channels).SequenceEqual(a1.Slice(o, 2 * Channels));
                if (!top && !bottom)
                {
                    continue;
                }

                float sr = 0, sg = 0, sb = 0;
                for (var dy = 0; dy < 2; dy++)
                {
                    var b = dy == 0 ? b0 : b1;
                    var a = dy == 0 ? a0 : a1;
                    for (var dx = 0; dx < 2; dx++)
                    {
                        var p = o + (dx * Channels);
                        float r = a[p], g = a[p + 1], bl = a[p + 2];
                        (sr, sg, sb) = (sr + r, sg + g, sb + bl);
                        if (a[p] != b[p] || a[p + 1] != b[p + 1] || a[p + 2] != b[p + 2])
                        {
                            yuv.Set(((y + dy) * width) + x + dx, 16f + (219f / 255f * ((matrix.Kr * r) + (matrix.Kg * g) + (matrix.Kb * bl))));
                        }
                    }
                }

                (sr, sg, sb) = (sr / 4, sg / 4, sb / 4);
                var luma = (matrix.Kr * sr) + (matrix.Kg * sg) + (matrix.Kb * sb);
                var c = ((y / 2) * cw) + (x / 2);
                yuv.Set(planeU + c, 128f + (224f / 255f * (sb - luma) / (2 * (1 - matrix.Kb))));
                yuv.Set(planeV + c, 128f + (224f / 255f * (sr - luma) / (2 * (1 - matrix.Kr))));
            }
        }
    }

    // Where WriteBack stores a level given at 8-bit scale: a byte as it is, a wider sample scaled up. A struct per
    // width, so the JIT compiles the loop once for each with the store inlined.
    private interface ISamples
    {
        void Set(int index, float level);
    }

    private readonly ref struct ByteSamples(Span<byte> samples) : ISamples
    {
        private readonly Span<byte> _samples = samples;

        public void Set(int index, float level) => _samples[index] = Byte(level);
    }

    private readonly ref struct WideSamples(Span<ushort> samples, int scale, int max) : ISamples
    {
        private readonly Span<ushort> _samples = samples;

        public void Set(int index, float level)
        {
            var value = (level * scale) + 0.5f;
            _samples[index] = value <= 0f ? (ushort)0 : value >= max ? (ushort)max : (ushort)(int)value;
        }
    }

    // Rounded half up and clamped; the hot path of both directions, so no call into MathF.Round.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Byte(float value) => value <= 0f ? (byte)0 : value >= 254.5f ? (byte)255 : (byte)(int)(value + 0.5f);

    private static void Check(int yuvSamples, int rgbBytes, int width, int height, PixelBox box)
    {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentException($"yuv420p frames have an even size, not {width}x{height}");
        }

        if (yuvSamples < FrameSamples(width, height) || rgbBytes < width * height * Channels)
        {
            throw new ArgumentException($"a {width}x{height} frame needs {FrameSamples(width, height)} yuv420p samples and {width * height * Channels} rgb24 bytes");
        }

        if (box.Left < 0 || box.Top < 0 || box.Right >= width || box.Bottom >= height || box.Left % 2 != 0 || box.Top % 2 != 0 || box.Right % 2 != 1 || box.Bottom % 2 != 1)
        {
            throw new ArgumentException($"the box {box} must lie in the {width}x{height} frame on whole 2x2 blocks");
        }
    }
}

/// <summary>An inclusive pixel box.</summary>
public readonly record struct PixelBox(int Left, int Top, int Right, int Bottom)
{
    /// <summary>The box grown out to whole 2x2 blocks and clamped to an even-sized frame.</summary>
    public static PixelBox OnBlocks(int left, int top, int right, int bottom, int width, int height) =>
        new(Math.Clamp(left, 0, width - 1) & ~1, Math.Clamp(top, 0, height - 1) & ~1, Math.Clamp(right, 0, width - 1) | 1, Math.Clamp(bottom, 0, height - 1) | 1);
}

/// <summary>A Y'CbCr matrix by its luma weights; swscale's names for the ones ffmpeg tags.</summary>
public readonly record struct YuvMatrix(float Kr, float Kb)
{
    public static YuvMatrix Bt601 { get; } = new(0.299f, 0.114f);

    public static YuvMatrix Bt709 { get; } = new(0.2126f, 0.0722f);

    public float Kg => 1 - Kr - Kb;

    // Chroma of 8-bit limited range is 224 levels for 2 × (1 − K); the results are in rgb24 levels.
    internal float RedFromV => 255f / 224f * 2 * (1 - Kr);

    internal float BlueFromU => 255f / 224f * 2 * (1 - Kb);

    internal float GreenFromU => 255f / 224f * 2 * Kb * (1 - Kb) / Kg;

    internal float GreenFromV => 255f / 224f * 2 * Kr * (1 - Kr) / Kg;

    /// <summary>The matrix for swscale's name of it (<c>VideoColour.SwscaleMatrix</c>); its default, BT.601, for null.</summary>
    public static YuvMatrix FromSwscale(string? name) => name switch
    {
        "bt709" => Bt709,
        "smpte240m" => new YuvMatrix(0.212f, 0.087f),
        "bt2020" => new YuvMatrix(0.2627f, 0.0593f),
        "fcc" => new YuvMatrix(0.30f, 0.11f),
        _ => Bt601,
    };
}
