using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Media.Tests;

public sealed class VideoFrameReaderTests
{
    private readonly MediaTools _tools = new();

    [Fact]
    public async Task Reads_every_frame_at_full_size()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var reader = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, TestData.Require("video/vox_00086.mp4"), ct: ct);
        Assert.Equal((224, 224), (reader.Width, reader.Height));
        Assert.Equal(new Rational(25, 1), reader.FrameRate);
        Assert.Equal(224 * 224 * 3, reader.FrameBytes);

        var frame = new byte[reader.FrameBytes];
        var distinct = new HashSet<int>();
        while (await reader.ReadFrameAsync(frame, ct))
        {
            if (reader.FramesRead % 25 == 1)
            {
                distinct.Add(Checksum(frame));
            }
        }

        Assert.Equal(130, reader.FramesRead);
        Assert.False(await reader.ReadFrameAsync(frame, ct));
        Assert.True(distinct.Count > 3, "frames should differ over time");
        Assert.True(frame.Distinct().Count() > 100, "a real picture has many byte values");
    }

    [Fact]
    public async Task Exact_colour_interpolates_chroma_fully_and_changes_the_pixels()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = TestData.Require("video/vox_00086.mp4");
        await using var fast = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, path, ct: ct);
        await using var exact = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, path, new VideoDecodeOptions(ExactColour: true), ct);
        var (a, b) = (new byte[fast.FrameBytes], new byte[exact.FrameBytes]);
        Assert.True(await fast.ReadFrameAsync(a, ct) && await exact.ReadFrameAsync(b, ct));

        Assert.Contains("full_chroma_int", exact.CommandLine);
        Assert.DoesNotContain("full_chroma_int", fast.CommandLine);
        var differing = a.Zip(b).Count(p => p.First != p.Second);
        Assert.True(differing > a.Length / 20, $"{differing} of {a.Length} bytes differ");
        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) < 64, "the same picture, only the chroma resampling differs");
    }

    [Fact]
    public async Task Only_frames_reads_just_those_frames_even_hundreds_of_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = TestData.Require("video/vox_00086.mp4");
        var wanted = Enumerable.Range(0, 130).Where(i => i % 13 != 5).Select(i => (long)i).ToList(); // 120 frames: past the parser's flat-chain limit
        var all = new List<int>();
        await using (var full = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, path, ct: ct))
        {
            var frame = new byte[full.FrameBytes];
            while (await full.ReadFrameAsync(frame, ct))
            {
                all.Add(Checksum(frame));
            }
        }

        await using var sparse = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, path, new VideoDecodeOptions(OnlyFrames: wanted), ct);
        var buffer = new byte[sparse.FrameBytes];
        var got = new List<int>();
        while (await sparse.ReadFrameAsync(buffer, ct))
        {
            got.Add(Checksum(buffer));
        }

        Assert.Equal(wanted.Select(i => all[(int)i]), got);
        Assert.Equal("(eq(n,1)+eq(n,2)+eq(n,3)+eq(n,4)+eq(n,5))+(eq(n,6)+eq(n,7)+eq(n,8)+eq(n,9)+eq(n,10))", VideoFrameReader.SelectExpression([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    }

    [Fact]
    public async Task Scales_keeping_aspect_and_reads_a_time_range()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new VideoDecodeOptions(Width: 320, StartSeconds: 1.0, DurationSeconds: 0.4);
        await using var reader = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, TestData.Require("video/mead_m030_sad_1080p.mp4"), options, ct);
        Assert.Equal((320, 180), (reader.Width, reader.Height));

        var frame = new byte[reader.FrameBytes];
        while (await reader.ReadFrameAsync(frame, ct))
        {
        }

        Assert.InRange(reader.FramesRead, 11, 13); // 0.4 s at 30 fps
    }

    [Fact]
    public async Task Start_frame_matches_the_same_frame_of_a_full_decode()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = TestData.Require("video/vox_00086.mp4");
        var scale = new VideoDecodeOptions(Width: 64, Height: 64);
        byte[] expected;
        await using (var full = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, path, scale, ct))
        {
            expected = new byte[full.FrameBytes];
            for (var i = 0; i <= 50; i++)
            {
                Assert.True(await full.ReadFrameAsync(expected, ct));
            }
        }

        // Frame 50 starts at 2.00 s; the seek is by timestamp, not to a keyframe.
        await using var part = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, path, scale with { StartSeconds = 2.0, DurationSeconds = 0.2 }, ct);
        var first = new byte[part.FrameBytes];
        Assert.True(await part.ReadFrameAsync(first, ct));
        Assert.Equal(expected, first);
    }

    [Fact]
    public async Task Variable_frame_rate_comes_out_on_a_constant_clock()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var reader = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, TestData.Require("video/retalk_1.mp4"), new VideoDecodeOptions(Width: 100), ct);
        Assert.Equal(new Rational(30, 1), reader.FrameRate);
        var frame = new byte[reader.FrameBytes];
        while (await reader.ReadFrameAsync(frame, ct))
        {
        }

        var expected = reader.Source.ToSummary().FrameCount;
        Assert.InRange(reader.FramesRead, expected - 1, expected + 1);
    }

    [Fact]
    public async Task Still_image_is_one_frame_and_rotation_is_applied()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var png = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, TestData.Require("image/musetalk_landscape.png"), ct: ct))
        {
            Assert.Equal((474, 266), (png.Width, png.Height));
            var frame = new byte[png.FrameBytes];
            Assert.True(await png.ReadFrameAsync(frame, ct));
            Assert.False(await png.ReadFrameAsync(frame, ct));
        }

        using var scratch = new ScratchDirectory();
        var plain = scratch.File("plain.mp4");
        var rotated = scratch.File("rotated.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/lp_d12.mp4"), "-t", "0.5", "-an", "-vf", "scale=200:100", "-c:v", "libx264", "-preset", "ultrafast", plain);

        // ffmpeg 5.1 only writes the rotate tag as a display matrix when stream copying.
        Ffmpeg.Run("-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated);
        await using var reader = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, rotated, ct: ct);
        Assert.Equal((100, 200), (reader.Width, reader.Height));
        var buffer = new byte[reader.FrameBytes];
        Assert.True(await reader.ReadFrameAsync(buffer, ct));
    }

    [Fact]
    public async Task Audio_file_has_no_video_stream()
    {
        var e = await Assert.ThrowsAsync<MediaException>(() => VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, TestData.Require("audio/zh_poem.wav"), ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.NoVideoStream, e.Kind);
        MediaProberTests.AssertUserMessage(e, "zh_poem.wav");
    }

    [Fact]
    public async Task Stopping_early_disposes_quickly()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (var reader = await VideoFrameReader.OpenAsync(_tools.Prober, _tools.Runner, TestData.Require("video/mead_m030_sad_1080p.mp4"), ct: ct))
        {
            var frame = new byte[reader.FrameBytes];
            Assert.True(await reader.ReadFrameAsync(frame, ct));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"dispose took {clock.Elapsed}");
    }

    private static int Checksum(byte[] frame)
    {
        var hash = new HashCode();
        hash.AddBytes(frame);
        return hash.ToHashCode();
    }
}
