using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Media.Tests;

public sealed class MediaProberTests
{
    private readonly MediaTools _tools = new();

    [Fact]
    public async Task Probes_every_testdata_video()
    {
        foreach (var path in TestData.RequireAll("video"))
        {
            var info = await _tools.Prober.ProbeAsync(path, TestContext.Current.CancellationToken);
            Assert.NotNull(info.Video);
            Assert.True(info.Video.Width > 0 && info.DurationSeconds > 0, path);
            Assert.Equal(new FileInfo(path).Length, info.SizeBytes);
        }
    }

    [Fact]
    public async Task Probes_png_mp3_and_a_weird_file_name()
    {
        var png = await _tools.Prober.ProbeAsync(TestData.Require("image/sadtalker_happy.png"), TestContext.Current.CancellationToken);
        Assert.True(png.IsStillImage);

        var mp3 = await _tools.Prober.ProbeAsync(TestData.Require("audio/eamm_00015.mp3"), TestContext.Current.CancellationToken);
        Assert.Null(mp3.Video);
        Assert.Equal(44100, mp3.Audio!.SampleRate);

        using var scratch = new ScratchDirectory();
        var odd = scratch.File("-frame%03d 'x' #1.png");
        File.Copy(TestData.Require("image/eamm_7.png"), odd);
        var oddInfo = await _tools.Prober.ProbeAsync(odd, TestContext.Current.CancellationToken);
        Assert.Equal(256, oddInfo.Video!.Width);
    }

    [Fact]
    public async Task A_file_is_probed_once_until_it_changes()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.File("input.png");
        File.Copy(TestData.Require("image/eamm_7.png"), path);
        var prober = new MediaTools().Prober;
        var ct = TestContext.Current.CancellationToken;

        var first = await prober.ProbeAsync(path, ct);
        Assert.Same(first, await prober.ProbeAsync(path, ct));
        Assert.Equal(1, prober.CachedCount);

        // Another picture written over it (a new size and time) is probed afresh.
        File.Copy(TestData.Require("image/musetalk_landscape.png"), path, overwrite: true);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var second = await prober.ProbeAsync(path, ct);
        Assert.NotSame(first, second);
        Assert.Equal(new FileInfo(path).Length, second.SizeBytes);
        Assert.NotEqual(first.Video!.Width, second.Video!.Width);

        // A file that is gone is gone, whatever was known about it.
        File.Delete(path);
        var e = await Assert.ThrowsAsync<MediaException>(() => prober.ProbeAsync(path, ct));
        Assert.Equal(MediaErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Missing_file_is_NotFound()
    {
        using var scratch = new ScratchDirectory();
        var e = await Assert.ThrowsAsync<MediaException>(() => _tools.Prober.ProbeAsync(scratch.File("nope.mp4"), ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.NotFound, e.Kind);
        Assert.Equal(scratch.File("nope.mp4"), e.FilePath);
        AssertUserMessage(e, "nope.mp4");
    }

    [Fact]
    public async Task Empty_file_is_Empty()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.File("empty.mp4");
        await File.WriteAllBytesAsync(path, [], TestContext.Current.CancellationToken);
        var e = await Assert.ThrowsAsync<MediaException>(() => _tools.Prober.ProbeAsync(path, ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.Empty, e.Kind);
        AssertUserMessage(e, "empty.mp4");
    }

    [Fact]
    public async Task Text_named_mp4_is_NotMedia()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.File("notes.mp4");
        await File.WriteAllTextAsync(path, "this is not a video\n", TestContext.Current.CancellationToken);
        var e = await Assert.ThrowsAsync<MediaException>(() => _tools.Prober.ProbeAsync(path, ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.NotMedia, e.Kind);
        AssertUserMessage(e, "notes.mp4");
        Assert.Contains("Invalid data", e.ToolOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_mp4_is_NotMedia()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.File("cut short.mp4");
        var bytes = await File.ReadAllBytesAsync(TestData.Require("video/retalk_2.mp4"), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(path, bytes[..20000], TestContext.Current.CancellationToken);
        var e = await Assert.ThrowsAsync<MediaException>(() => _tools.Prober.ProbeAsync(path, ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.NotMedia, e.Kind);
    }

    [Fact]
    public async Task Folder_is_NotFound()
    {
        using var scratch = new ScratchDirectory();
        var e = await Assert.ThrowsAsync<MediaException>(() => _tools.Prober.ProbeAsync(scratch.Path, ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Missing_ffprobe_is_ToolMissing_with_install_hint()
    {
        var tools = new MediaTools(new MediaToolOptions { FfprobePath = "/nonexistent/ffprobe" });
        var e = await Assert.ThrowsAsync<MediaException>(() => tools.Prober.ProbeAsync(TestData.Require("video/retalk_2.mp4"), ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.ToolMissing, e.Kind);
        Assert.Contains("apt-get install ffmpeg", e.Message, StringComparison.Ordinal);
    }

    internal static void AssertUserMessage(MediaException e, string fileName)
    {
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(fileName, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", e.Message, StringComparison.Ordinal);
    }
}
