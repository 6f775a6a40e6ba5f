using System.Text.Json;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

public sealed class ProbeTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("probe");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Probe_reports_streams_of_a_real_video()
    {
        var video = TestData.Require("video/retalk_2.mp4");

        var result = await PipelineCli.RunAsync(_scratch.File("home"), ["probe", video, "--json"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        var stream = json.GetProperty("video_streams")[0];
        Assert.Equal("h264", stream.GetProperty("codec").GetString());
        Assert.Equal(844, stream.GetProperty("width").GetInt32());
        Assert.Equal("aac", json.GetProperty("audio_streams")[0].GetProperty("codec").GetString());
        Assert.InRange(json.GetProperty("duration_seconds").GetDouble(), 5.0, 5.1);
    }

    [Fact]
    public async Task Probe_of_a_missing_file_is_one_line()
    {
        var result = await PipelineCli.RunAsync(_scratch.File("home"), ["probe", _scratch.File("absent.mov")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("absent.mov", result.Stderr);
    }
}
