using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Rendering.Tests;

public sealed class Yuv420PixelsTests
{
    [Fact]
    public void Only_the_blocks_that_were_drawn_on_change_and_the_rest_keep_their_bytes()
    {
        const int W = 64, H = 48;
        var yuv = new byte[Yuv420Pixels.FrameBytes(W, H)];
        new Random(7).NextBytes(yuv);
        for (var i = 0; i < yuv.Length; i++)
        {
            yuv[i] = (byte)(16 + (yuv[i] % 220)); // legal limited-range levels
        }

        var original = yuv.ToArray();
        var box = new PixelBox(10, 6, 41, 33);
        var before = new byte[W * H * 3];
        Yuv420Pixels.ToRgb(yuv, W, H, YuvMatrix.Bt601, box, before);
        var after = before.ToArray();

        // Nothing drawn: not one byte moves, although every pixel of the box went to rgb24 and would come back inexactly.
        Yuv420Pixels.WriteBack(before, after, W, H, YuvMatrix.Bt601, box, yuv);
        Assert.Equal(original, yuv);

        // One pixel drawn at (20, 10): its luma and its block's chroma change, nothing else.
        after[((10 * W) + 20) * 3] ^= 0x40;
        Yuv420Pixels.WriteBack(before, after, W, H, YuvMatrix.Bt601, box, yuv);
        var changed = Enumerable.Range(0, yuv.Length).Where(i => yuv[i] != original[i]).ToList();
        var lumaIndex = (10 * W) + 20;
        var chromaIndex = (5 * (W / 2)) + 10;
        var planeU = W * H;
        var planeV = planeU + (W / 2 * (H / 2));
        Assert.Subset(new HashSet<int> { lumaIndex, planeU + chromaIndex, planeV + chromaIndex }, changed.ToHashSet());
        Assert.Contains(lumaIndex, changed);
    }

    [Theory]
    [InlineData("bt601")]
    [InlineData("bt709")]
    public void Every_box_converts_to_the_bytes_of_the_per_pixel_formula(string matrixName)
    {
        // The converter takes sixteen pixels at a time where the CPU allows; whatever the box's width and offset, the
        // bytes must be those of the formula applied pixel by pixel, including levels outside the legal range.
        const int W = 96, H = 8;
        var yuv = new byte[Yuv420Pixels.FrameBytes(W, H)];
        new Random(11).NextBytes(yuv);
        var matrix = YuvMatrix.FromSwscale(matrixName);
        foreach (var (left, right) in new[] { (0, 95), (2, 17), (4, 33), (6, 7), (10, 81), (0, 15), (30, 61) })
        {
            var box = new PixelBox(left, 2, right, 5);
            var rgb = new byte[W * H * 3];
            Yuv420Pixels.ToRgb(yuv, W, H, matrix, box, rgb);
            for (var y = box.Top; y <= box.Bottom; y++)
            {
                for (var x = box.Left; x <= box.Right; x++)
                {
                    var c = ((y / 2) * (W / 2)) + (x / 2);
                    var u = yuv[(W * H) + c] - 128f;
                    var v = yuv[(W * H) + ((W / 2) * (H / 2)) + c] - 128f;
                    var luma = (yuv[(y * W) + x] - 16) * (255f / 219f);
                    var expected = new[]
                    {
                        Level(luma + (255f / 224f * 2 * (1 - matrix.Kr) * v)),
                        Level(luma + (-(255f / 224f * 2 * matrix.Kb * (1 - matrix.Kb) / matrix.Kg * u) - (255f / 224f * 2 * matrix.Kr * (1 - matrix.Kr) / matrix.Kg * v))),
                        Level(luma + (255f / 224f * 2 * (1 - matrix.Kb) * u)),
                    };
                    Assert.Equal(expected, rgb.AsSpan(((y * W) + x) * 3, 3).ToArray());
                }
            }
        }

        static byte Level(float value) => value <= 0f ? (byte)0 : value >= 254.5f ? (byte)255 : (byte)(int)(value + 0.5f);
    }

    [Fact]
    public void Boxes_snap_out_to_whole_blocks_inside_the_frame()
    {
        Assert.Equal(new PixelBox(0, 2, 11, 9), PixelBox.OnBlocks(-3, 3, 10, 8, 12, 10));
        Assert.Equal(new PixelBox(4, 4, 7, 7), PixelBox.OnBlocks(5, 5, 6, 6, 12, 10));
        Assert.Throws<ArgumentException>(() => Yuv420Pixels.ToRgb(new byte[Yuv420Pixels.FrameBytes(12, 10)], 12, 10, YuvMatrix.Bt601, new PixelBox(1, 0, 5, 5), new byte[12 * 10 * 3]));
    }

    [Theory]
    [InlineData("video/hdtf_katiehill.mp4", "bt601")] // untagged: ffmpeg's default matrix
    [InlineData("video/emo_surprised_silent.mp4", "bt709")] // tagged BT.709
    public void Converts_a_real_frame_as_ffmpeg_does_with_the_streams_matrix(string clip, string matrixName)
    {
        using var scratch = new ScratchDirectory();
        var (yuv, rgb, w, h) = DecodeFirstFrame(TestData.Require(clip), scratch);
        var mine = new byte[w * h * 3];
        Yuv420Pixels.ToRgb(yuv, w, h, YuvMatrix.FromSwscale(matrixName), new PixelBox(0, 0, w - 1, h - 1), mine);
        var other = new byte[w * h * 3];
        Yuv420Pixels.ToRgb(yuv, w, h, YuvMatrix.FromSwscale(matrixName == "bt709" ? "bt601" : "bt709"), new PixelBox(0, 0, w - 1, h - 1), other);

        // ffmpeg interpolates chroma (bicubic) where this takes each block's own sample, so edges differ a little; the
        // matrix is what must agree, and the other one is measurably worse.
        var error = MeanAbsolute(mine, rgb);
        Assert.True(error < 1.5, $"mean |mine - ffmpeg| = {error:F2} levels");
        Assert.True(MeanAbsolute(other, rgb) > error + 0.5, $"the other matrix: {MeanAbsolute(other, rgb):F2}, this one {error:F2}");
    }

    [Theory]
    [InlineData("bt601", 200, 100, 50)]
    [InlineData("bt709", 200, 100, 50)]
    [InlineData("bt709", 20, 230, 160)]
    public void Drawn_colours_go_back_as_ffmpeg_encodes_them(string matrixName, int r, int g, int b)
    {
        const int W = 16, H = 16;
        var (solid, expected) = SolidAsFfmpegEncodesIt(W, H, r, g, b, matrixName, "yuv420p");
        var yuv = new byte[Yuv420Pixels.FrameBytes(W, H)];
        var before = new byte[W * H * 3]; // black: every pixel differs from the drawn colour
        Yuv420Pixels.WriteBack(before, solid, W, H, YuvMatrix.FromSwscale(matrixName), new PixelBox(0, 0, W - 1, H - 1), yuv);
        for (var i = 0; i < yuv.Length; i++)
        {
            Assert.True(Math.Abs(yuv[i] - expected[i]) <= 1, $"byte {i}: {yuv[i]} against ffmpeg's {expected[i]}");
        }
    }

    [Fact]
    public void Ten_bit_samples_not_drawn_on_keep_all_their_bits()
    {
        const int W = 64, H = 48;
        var yuv = new ushort[Yuv420Pixels.FrameSamples(W, H)];
        var random = new Random(5);
        for (var i = 0; i < yuv.Length; i++)
        {
            yuv[i] = (ushort)random.Next(64, 941); // legal 10-bit limited-range levels, most of them not a multiple of 4
        }

        var original = yuv.ToArray();
        var box = new PixelBox(10, 6, 41, 33);
        var before = new byte[W * H * 3];
        Yuv420Pixels.ToRgb(yuv, W, H, 10, YuvMatrix.Bt709, box, before);
        var after = before.ToArray();

        // Nothing drawn: every sample keeps its ten bits, although the box went through rgb24 at eight.
        Yuv420Pixels.WriteBack(before, after, W, H, 10, YuvMatrix.Bt709, box, yuv);
        Assert.Equal(original, yuv);

        // One pixel drawn at (20, 10): its luma and its block's two chroma samples change, nothing else.
        after[((10 * W) + 20) * 3] ^= 0x40;
        Yuv420Pixels.WriteBack(before, after, W, H, 10, YuvMatrix.Bt709, box, yuv);
        var changed = Enumerable.Range(0, yuv.Length).Where(i => yuv[i] != original[i]).ToHashSet();
        var planeU = W * H;
        var planeV = planeU + (W / 2 * (H / 2));
        var chroma = (5 * (W / 2)) + 10;
        Assert.Subset(new HashSet<int> { (10 * W) + 20, planeU + chroma, planeV + chroma }, changed);
        Assert.Contains((10 * W) + 20, changed);
    }

    [Fact]
    public void Ten_bit_samples_convert_as_the_eight_bit_levels_they_scale()
    {
        // A 10-bit frame whose samples are four times an 8-bit frame's reads as the same rgb24, and a drawn colour goes
        // back as four times what the 8-bit frame gets, to within the rounding of the finer step.
        const int W = 32, H = 16;
        var narrow = new byte[Yuv420Pixels.FrameBytes(W, H)];
        new Random(9).NextBytes(narrow);
        var wide = narrow.Select(b => (ushort)(b * 4)).ToArray();
        var box = new PixelBox(0, 0, W - 1, H - 1);
        var (fromNarrow, fromWide) = (new byte[W * H * 3], new byte[W * H * 3]);
        Yuv420Pixels.ToRgb(narrow, W, H, YuvMatrix.Bt709, box, fromNarrow);
        Yuv420Pixels.ToRgb(wide, W, H, 10, YuvMatrix.Bt709, box, fromWide);
        Assert.Equal(fromNarrow, fromWide);

        var drawn = fromNarrow.Select(b => (byte)(255 - b)).ToArray();
        Yuv420Pixels.WriteBack(fromNarrow, drawn, W, H, YuvMatrix.Bt709, box, narrow);
        Yuv420Pixels.WriteBack(fromWide, drawn, W, H, 10, YuvMatrix.Bt709, box, wide);
        for (var i = 0; i < wide.Length; i++)
        {
            Assert.True(Math.Abs(wide[i] - (4 * narrow[i])) <= 2, $"sample {i}: {wide[i]} at 10 bits against {narrow[i]} at 8");
        }
    }

    [Theory]
    [InlineData(200, 100, 50)]
    [InlineData(20, 230, 160)]
    public void Drawn_colours_go_back_as_ffmpeg_encodes_them_at_ten_bits(int r, int g, int b)
    {
        const int W = 16, H = 16;
        var (solid, encoded) = SolidAsFfmpegEncodesIt(W, H, r, g, b, "bt2020", "yuv420p10le");
        var expected = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(encoded).ToArray();

        var yuv = new ushort[Yuv420Pixels.FrameSamples(W, H)];
        Yuv420Pixels.WriteBack(new byte[W * H * 3], solid, W, H, 10, YuvMatrix.FromSwscale("bt2020"), new PixelBox(0, 0, W - 1, H - 1), yuv);
        Assert.Equal(expected.Length, yuv.Length);
        for (var i = 0; i < yuv.Length; i++)
        {
            Assert.True(Math.Abs(yuv[i] - expected[i]) <= 2, $"sample {i}: {yuv[i]} against ffmpeg's {expected[i]}");
        }
    }

    // A W×H frame of one rgb24 colour, and ffmpeg's own limited-range conversion of it to the planar pixel format.
    private static (byte[] Solid, byte[] Encoded) SolidAsFfmpegEncodesIt(int w, int h, int r, int g, int b, string matrixName, string pixelFormat)
    {
        using var scratch = new ScratchDirectory();
        var solid = new byte[w * h * 3];
        for (var i = 0; i < solid.Length; i += 3)
        {
            (solid[i], solid[i + 1], solid[i + 2]) = ((byte)r, (byte)g, (byte)b);
        }

        var input = scratch.File("solid.rgb");
        var output = scratch.File("solid.yuv");
        File.WriteAllBytes(input, solid);
        Ffmpeg.Run("-f", "rawvideo", "-pix_fmt", "rgb24", "-video_size", $"{w}x{h}", "-i", input, "-vf", $"scale=out_color_matrix={matrixName}:out_range=tv:flags=accurate_rnd",
            "-pix_fmt", pixelFormat, "-f", "rawvideo", output);
        return (solid, File.ReadAllBytes(output));
    }

    private static (byte[] Yuv, byte[] Rgb, int Width, int Height) DecodeFirstFrame(string clip, ScratchDirectory scratch)
    {
        var size = Ffmpeg.Probe("-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", clip).Trim().Split(',');
        var (w, h) = (int.Parse(size[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(size[1], System.Globalization.CultureInfo.InvariantCulture));
        var yuv = scratch.File("frame.yuv");
        var rgb = scratch.File("frame.rgb");
        Ffmpeg.Run("-i", clip, "-frames:v", "1", "-pix_fmt", "yuv420p", "-f", "rawvideo", yuv);
        Ffmpeg.Run("-i", clip, "-frames:v", "1", "-sws_flags", "accurate_rnd+full_chroma_int+bicubic", "-pix_fmt", "rgb24", "-f", "rawvideo", rgb);
        return (File.ReadAllBytes(yuv), File.ReadAllBytes(rgb), w, h);
    }

    private static double MeanAbsolute(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum / (double)a.Length;
    }
}
