using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>Bad input: a non-zero exit, one line on stderr naming the problem, no stack trace, no output file.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("bad-input");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Missing_video_file()
    {
        var audio = TestData.Require("audio/en_radio31.wav");
        await AssertRejectedAsync(_scratch.File("nope.mp4"), audio, _scratch.File("o.mp4"), "does not exist");
    }

    [Fact]
    public async Task Empty_video_file()
    {
        var audio = TestData.Require("audio/en_radio31.wav");
        var empty = _scratch.File("empty.mp4");
        await File.WriteAllBytesAsync(empty, [], TestContext.Current.CancellationToken);
        await AssertRejectedAsync(empty, audio, _scratch.File("o.mp4"), "empty");
    }

    [Fact]
    public async Task Text_file_named_mp4()
    {
        var audio = TestData.Require("audio/en_radio31.wav");
        var text = _scratch.File("notes.mp4");
        await File.WriteAllTextAsync(text, "these are my notes, not a video\n", TestContext.Current.CancellationToken);
        await AssertRejectedAsync(text, audio, _scratch.File("o.mp4"), "notes.mp4");
    }

    [Fact]
    public async Task Audio_only_file_given_as_video()
    {
        var audio = TestData.Require("audio/en_radio31.wav");
        await AssertRejectedAsync(audio, audio, _scratch.File("o.mp4"), "no video stream");
    }

    [Fact]
    public async Task Image_given_as_audio()
    {
        var video = TestData.Require("video/vox_00015.mp4");
        var image = TestData.Require("image/eamm_7.png");
        await AssertRejectedAsync(video, image, _scratch.File("o.mp4"), "no audio stream");
    }

    [Fact]
    public async Task Unwritable_output_paths()
    {
        var video = TestData.Require("video/vox_00015.mp4");
        var audio = TestData.Require("audio/en_radio31.wav");
        await AssertRejectedAsync(video, audio, _scratch.File("missing-folder/o.mp4"), "does not exist");

        // /proc refuses new files even to root, for whom permission bits do not apply.
        await AssertRejectedAsync(video, audio, "/proc/pipeline-test-output.mp4", "cannot write");
        await AssertRejectedAsync(video, audio, _scratch.Path, "is a folder");
    }

    [Fact]
    public async Task Missing_required_option_is_a_usage_error()
    {
        var result = await PipelineCli.RunAsync(_scratch.File("home"), ["dub", "--video", "x.mp4"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--audio", result.Stderr);
    }

    private async Task AssertRejectedAsync(string video, string audio, string output, string expected)
    {
        var result = await PipelineCli.RunAsync(_scratch.File("home"), ["dub", "--video", video, "--audio", audio, "--out", output]);

        Assert.NotEqual(0, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{result.Stderr}");
        Assert.StartsWith("pipeline: ", lines[0]);
        Assert.Contains(expected, lines[0], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at ", lines[0].Replace("at the", string.Empty));
        Assert.Empty(result.Stdout);
        if (!Directory.Exists(output))
        {
            Assert.False(File.Exists(output), "no output file may be left behind");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (Directory.Exists(folder) && folder.StartsWith(_scratch.Path, StringComparison.Ordinal))
        {
            Assert.Empty(Directory.GetFiles(folder, "*.partial"));
        }
    }
}
