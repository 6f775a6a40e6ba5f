using System.Globalization;
using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Media.Tests;

/// <summary>Thumbnails and preview strips made from real clips, read back with ffprobe/ffmpeg.</summary>
public sealed class StillImageTests : IDisposable
{
    private readonly MediaTools _tools = new();
    private readonly ScratchDirectory _scratch = new("media-stills");

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("video/retalk_2.mp4", 720, 720)]
    [InlineData("video/mead_m030_sad_1080p.mp4", 1280, 720)]
    [InlineData("video/vox_00086.mp4", 224, 224)]
    public async Task Thumbnail_is_a_jpeg_of_the_planned_size_showing_a_picture(string clip, int width, int height)
    {
        var output = _scratch.File(Path.GetFileNameWithoutExtension(clip) + ".jpg");

        var thumb = await _tools.Editor.ThumbnailAsync(TestData.Require(clip), output, TestContext.Current.CancellationToken);

        Assert.Equal((width, height), (thumb.Width, thumb.Height));
        Assert.Equal(("mjpeg", width, height), JpegSize(output));
        var (mean, deviation) = LumaStatistics(output);
        Assert.True(mean > 40 && deviation > 15, $"luma mean {mean:F1}, deviation {deviation:F1}: black or flat");
    }

    [Fact]
    public async Task Thumbnail_of_a_clip_that_opens_on_black_shows_the_speaker()
    {
        // 1.5 s of black, then the speaker: a first-frame thumbnail would be black.
        var clip = _scratch.File("black-lead.mp4");
        Ffmpeg.Run(
            "-f", "lavfi", "-t", "1.5", "-i", "color=c=black:s=224x224:r=25", "-t", "4", "-i", TestData.Require("video/vox_00086.mp4"),
            "-filter_complex", "[0:v]setsar=1[a];[1:v]setsar=1,fps=25[b];[a][b]concat=n=2:v=1:a=0[v]",
            "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", clip);

        var thumb = await _tools.Editor.ThumbnailAsync(clip, _scratch.File("black-lead.jpg"), TestContext.Current.CancellationToken);

        var (mean, deviation) = LumaStatistics(thumb.Path);
        Assert.True(mean > 40 && deviation > 15, $"luma mean {mean:F1}, deviation {deviation:F1}");
    }

    [Fact]
    public async Task Preview_strip_shows_each_of_five_equal_parts_in_order()
    {
        // Five one-second parts in five colours: tile i must be part i's colour.
        string[] colours = ["red", "lime", "blue", "yellow", "white"];
        (int R, int G, int B)[] rgb = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (255, 255, 255)];
        var clip = _scratch.File("colours.mp4");
        var inputs = colours.SelectMany(c => new[] { "-f", "lavfi", "-t", "1", "-i", $"color=c={c}:s=320x240:r=25" }).ToArray();
        var graph = string.Concat(colours.Select((_, i) => $"[{i}:v]")) + "concat=n=5:v=1:a=0[v]";
        Ffmpeg.Run([.. inputs, "-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", clip]);
        var output = _scratch.File("colours.jpg");

        var strip = await _tools.Editor.PreviewStripAsync(clip, output, 5, TestContext.Current.CancellationToken);

        Assert.Equal((5, 160 * 5, 120), (strip.Tiles, strip.Width, strip.Height));
        Assert.Equal(("mjpeg", 800, 120), JpegSize(output));
        var pixels = Rgb(output, 800, 120);
        for (var tile = 0; tile < 5; tile++)
        {
            var (r, g, b) = MeanColour(pixels, 800, tile * 160 + 20, (tile * 160) + 140, 20, 100);
            Assert.True(
                Math.Abs(r - rgb[tile].R) < 40 && Math.Abs(g - rgb[tile].G) < 40 && Math.Abs(b - rgb[tile].B) < 40,
                $"tile {tile}: ({r:F0}, {g:F0}, {b:F0}), expected {colours[tile]}");
        }
    }

    [Fact]
    public async Task Preview_strip_of_a_1080p_clip_has_ten_tiles_of_120_pixels_in_time_order()
    {
        var output = _scratch.File("strip.jpg");

        var strip = await _tools.Editor.PreviewStripAsync(TestData.Require("video/mead_m030_sad_1080p.mp4"), output, ct: TestContext.Current.CancellationToken);

        Assert.Equal((10, 2120, 120), (strip.Tiles, strip.Width, strip.Height));
        Assert.Equal(("mjpeg", 2120, 120), JpegSize(output));
        Assert.Equal(strip.SourceSeconds.Order(), strip.SourceSeconds);
        var (mean, deviation) = LumaStatistics(output);
        Assert.True(mean > 40 && deviation > 15, $"luma mean {mean:F1}, deviation {deviation:F1}");
    }

    [Fact]
    public async Task A_clip_shorter_than_the_tile_count_gives_one_tile_per_frame()
    {
        var clip = _scratch.File("three-frames.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00086.mp4"), "-frames:v", "3", "-an", "-c:v", "libx264", "-preset", "veryfast", clip);

        var strip = await _tools.Editor.PreviewStripAsync(clip, _scratch.File("three.jpg"), ct: TestContext.Current.CancellationToken);

        Assert.Equal(3, strip.Tiles);
        Assert.Equal(("mjpeg", 360, 120), JpegSize(strip.Path));
    }

    private static (string Codec, int Width, int Height) JpegSize(string path)
    {
        var fields = Ffmpeg.Probe("-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path).Trim().Split(',');
        return (fields[0], int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    private byte[] Rgb(string jpeg, int width, int height)
    {
        var raw = _scratch.File(Path.GetFileName(jpeg) + ".rgb");
        Ffmpeg.Run("-i", jpeg, "-f", "rawvideo", "-pix_fmt", "rgb24", raw);
        var bytes = File.ReadAllBytes(raw);
        Assert.Equal(width * height * 3, bytes.Length);
        return bytes;
    }

    private (double Mean, double Deviation) LumaStatistics(string jpeg)
    {
        var raw = _scratch.File(Path.GetFileName(jpeg) + ".gray");
        Ffmpeg.Run("-i", jpeg, "-f", "rawvideo", "-pix_fmt", "gray", raw);
        var bytes = File.ReadAllBytes(raw);
        var mean = bytes.Average(b => (double)b);
        return (mean, Math.Sqrt(bytes.Average(b => (b - mean) * (b - mean))));
    }

    private static (double R, double G, double B) MeanColour(byte[] pixels, int width, int x0, int x1, int y0, int y1)
    {
        double r = 0, g = 0, b = 0;
        var n = 0;
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                var i = ((y * width) + x) * 3;
                (r, g, b, n) = (r + pixels[i], g + pixels[i + 1], b + pixels[i + 2], n + 1);
            }
        }

        return (r / n, g / n, b / n);
    }
}
