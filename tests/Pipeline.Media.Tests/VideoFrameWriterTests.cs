using System.Globalization;
using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Media.Tests;

public sealed class VideoFrameWriterTests
{
    private readonly MediaTools _tools = new();

    [Theory]
    [InlineData("out.mp4", 160, 90)]
    [InlineData("out.mkv", 161, 91)] // odd sizes lose a column/row for 4:2:0
    public async Task Writes_synthetic_frames(string name, int width, int height)
    {
        var ct = TestContext.Current.CancellationToken;
        using var scratch = new ScratchDirectory();
        var output = scratch.File(name);
        await using var writer = VideoFrameWriter.Open(_tools.Runner, output, width, height, new Rational(25, 1), new EncodeSettings(Preset: "ultrafast"));
        var frame = new byte[width * height * 3];
        for (var i = 0; i < 30; i++)
        {
            frame.AsSpan().Fill((byte)(i * 8));
            await writer.WriteFrameAsync(frame, ct);
        }

        var result = await writer.CompleteAsync(ct);
        Assert.Equal(0, result.ExitCode);

        var info = Ffmpeg.Probe("-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames,width,height,codec_name", "-of", "csv=p=0", output).Trim().Split(',');
        Assert.Equal("h264", info[0]);
        Assert.Equal(width / 2 * 2, int.Parse(info[1], CultureInfo.InvariantCulture));
        Assert.Equal(height / 2 * 2, int.Parse(info[2], CultureInfo.InvariantCulture));
        Assert.Equal("30", info[3]);
        Assert.Equal(1.2, Ffmpeg.Duration(output), 2);
    }

    [Fact]
    public async Task A_bt709_clip_goes_back_with_its_own_matrix_and_tags()
    {
        var ct = TestContext.Current.CancellationToken;
        using var scratch = new ScratchDirectory();
        var source = TestData.Require("video/emo_surprised_silent.mp4"); // tagged bt709, tv range
        var settings = new EncodeSettings(Crf: 18, Preset: "veryfast");
        var matched = scratch.File("matched.mp4");
        var unmatched = scratch.File("unmatched.mp4");
        var direct = scratch.File("direct.mp4");
        foreach (var (path, useColour) in new[] { (matched, true), (unmatched, false) })
        {
            await using var reader = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, source, new VideoDecodeOptions(DurationSeconds: 2, ExactColour: true), ct);
            Assert.Equal("bt709", reader.Colour.Space);
            await using var writer = VideoFrameWriter.Open(_tools.Runner, path, reader.Width, reader.Height, reader.FrameRate, settings, useColour ? reader.Colour : null);
            var frame = new byte[reader.FrameBytes];
            while (await reader.ReadFrameAsync(frame, ct))
            {
                await writer.WriteFrameAsync(frame, ct);
            }

            await writer.CompleteAsync(ct);
        }

        Ffmpeg.Run("-i", source, "-t", "2", "-an", "-c:v", "libx264", "-crf", "18", "-preset", "veryfast", "-pix_fmt", "yuv420p", direct);
        var (m, u, d) = (LumaPsnr(matched, source, scratch), LumaPsnr(unmatched, source, scratch), LumaPsnr(direct, source, scratch));

        // Through rgb24 and back with the clip's own matrix is as good as re-encoding it directly; with swscale's
        // default BT.601 on the way back every colour moves.
        Assert.True(m >= d - 0.5, $"matched {m:F2} dB, direct re-encode {d:F2} dB");
        Assert.True(u < m - 1, $"unmatched {u:F2} dB, matched {m:F2} dB");
        var tags = Ffmpeg.Probe("-select_streams", "v:0", "-show_entries", "stream=color_space,color_range,color_primaries,color_transfer", "-of", "csv=p=0", matched).Trim();
        Assert.Equal("tv,bt709,bt709,bt709", tags);
    }

    [Fact]
    public async Task Yuv420_frames_reach_the_encoder_exactly_as_decoded()
    {
        var ct = TestContext.Current.CancellationToken;
        using var scratch = new ScratchDirectory();
        var source = TestData.Require("video/vox_00473.mp4");
        var piped = scratch.File("piped.mp4");
        await using (var reader = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, source, new VideoDecodeOptions(DurationSeconds: 1, Yuv420: true), ct))
        await using (var writer = VideoFrameWriter.Open(_tools.Runner, piped, reader.Width, reader.Height, reader.FrameRate, new EncodeSettings(Crf: 0, Preset: "ultrafast"), reader.Colour, yuv420: true))
        {
            Assert.Equal(reader.Width * reader.Height * 3 / 2, reader.FrameBytes);
            var frame = new byte[reader.FrameBytes];
            while (await reader.ReadFrameAsync(frame, ct))
            {
                await writer.WriteFrameAsync(frame, ct);
            }

            await writer.CompleteAsync(ct);
        }

        // Encoded losslessly, the output decodes to the source's own decoded pictures: nothing was converted on the way.
        static string Pictures(string path) => string.Join('\n', Ffmpeg.Run("-i", path, "-t", "1", "-map", "0:v", "-pix_fmt", "yuv420p", "-f", "framemd5", "-")
            .Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(',')[^1].Trim()));
        var expected = Pictures(source);
        Assert.Equal(25, expected.Split('\n').Length);
        Assert.Equal(expected, Pictures(piped));
    }

    [Fact]
    public async Task Ten_bit_yuv420_frames_reach_the_encoder_with_all_their_bits()
    {
        var ct = TestContext.Current.CancellationToken;
        using var scratch = new ScratchDirectory();
        var source = scratch.File("ten-bit.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00473.mp4"), "-t", "1", "-an", "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", "-pix_fmt", "yuv420p10le", source);
        // FFV1, lossless at any depth (x264's CRF 0 is lossless at 8 bits only), so the comparison below is exact.
        var piped = scratch.File("piped.mkv");
        await using (var reader = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, source, new VideoDecodeOptions(Yuv420: true), ct))
        await using (var writer = VideoFrameWriter.Open(
            _tools.Runner, piped, reader.Width, reader.Height, reader.FrameRate, new EncodeSettings(Codec: "ffv1", PixelFormat: "yuv420p10le"), reader.Colour, yuv420: true, reader.BitsPerSample))
        {
            Assert.Equal(10, reader.BitsPerSample);
            Assert.Equal(reader.Width * reader.Height * 3, reader.FrameBytes); // two bytes a sample
            var frame = new byte[reader.FrameBytes];
            while (await reader.ReadFrameAsync(frame, ct))
            {
                await writer.WriteFrameAsync(frame, ct);
            }

            await writer.CompleteAsync(ct);
        }

        // Lossless at 10 bits: the output decodes to the source's own 10-bit pictures (at 8 bits on the way, they would not).
        static string Pictures(string path) => string.Join('\n', Ffmpeg.Run("-i", path, "-map", "0:v", "-pix_fmt", "yuv420p10le", "-f", "framemd5", "-")
            .Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(',')[^1].Trim()));
        var expected = Pictures(source);
        Assert.Equal(25, expected.Split('\n').Length);
        Assert.Equal(expected, Pictures(piped));

        // The renderer's x264 settings follow the frames' depth: High 10 for 10-bit frames, 8-bit 4:2:0 otherwise.
        Assert.Equal("yuv420p10le", EncodeSettings.Default.ForSampleBits(10).PixelFormat);
        Assert.Equal("yuv420p", EncodeSettings.Default.ForSampleBits(8).PixelFormat);
    }

    [Fact]
    public async Task Only_yuv420p_sources_can_be_read_as_yuv420p()
    {
        var ct = TestContext.Current.CancellationToken;
        var e = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await using var reader = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, TestData.Require("video/mead_m030_sad_1080p.mp4"), new VideoDecodeOptions(DurationSeconds: 1, Yuv420: true), ct);
        });
        Assert.Contains("yuvj444p", e.Message, StringComparison.Ordinal);
    }

    // Mean-MSE luma PSNR of a against b over a's frames (ffmpeg's psnr filter, per-frame stats).
    private static double LumaPsnr(string a, string b, ScratchDirectory scratch)
    {
        var stats = scratch.File($"psnr-{Path.GetFileNameWithoutExtension(a)}.log");
        Ffmpeg.Run("-i", a, "-i", b, "-lavfi", $"[0:v][1:v]psnr=stats_file={stats}:shortest=1", "-f", "null", "-");
        var mse = File.ReadAllLines(stats)
            .Select(line => line.Split(' ').First(f => f.StartsWith("mse_y:", StringComparison.Ordinal))[6..])
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture))
            .Average();
        return 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    [Fact]
    public async Task Round_trips_through_the_reader()
    {
        var ct = TestContext.Current.CancellationToken;
        using var scratch = new ScratchDirectory();
        var output = scratch.File("rt.mp4");
        await using (var reader = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, TestData.Require("video/vox_00473.mp4"), new VideoDecodeOptions(DurationSeconds: 1), ct))
        await using (var writer = VideoFrameWriter.Open(_tools.Runner, output, reader.Width, reader.Height, reader.FrameRate, new EncodeSettings(Preset: "ultrafast")))
        {
            var frame = new byte[reader.FrameBytes];
            while (await reader.ReadFrameAsync(frame, ct))
            {
                await writer.WriteFrameAsync(frame, ct);
            }

            await writer.CompleteAsync(ct);
            Assert.Equal(25, writer.FramesWritten);
        }

        var info = await _tools.Prober.ProbeAsync(output, ct);
        Assert.Equal(25, info.Video!.FrameCount);
        Assert.Equal(new Rational(25, 1), info.Video.FrameRate);
    }

    [Fact]
    public async Task Wrong_frame_size_is_rejected()
    {
        using var scratch = new ScratchDirectory();
        await using var writer = VideoFrameWriter.Open(_tools.Runner, scratch.File("x.mp4"), 16, 16, new Rational(25, 1), EncodeSettings.Default);
        await Assert.ThrowsAsync<ArgumentException>(async () => await writer.WriteFrameAsync(new byte[10], ct: TestContext.Current.CancellationToken));
    }
}
