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
