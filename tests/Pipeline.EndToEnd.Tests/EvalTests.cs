using System.Text.Json;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>`./pipeline eval` on a real clip: the JSON shape tools read, and a report a person can open.</summary>
public sealed class EvalTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("eval");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Eval_scores_ours_and_every_baseline_with_the_documented_keys_and_writes_a_report()
    {
        var video = TestData.Require("video/retalk_5.mp4");
        var report = _scratch.File("report");

        var result = await PipelineCli.RunAsync(_scratch.File("home"), ["eval", "--video", video, "--report", report, "--json"]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal("retalk_5", json.GetProperty("clip").GetString());
        foreach (var method in new[] { "ours", "generic", "static", "energy" })
        {
            var scores = json.GetProperty(method);
            foreach (var key in new[] { "m_lmd", "f_lmd", "lvd", "sync_lag", "sync_conf", "open_r" })
            {
                Assert.True(scores.TryGetProperty(key, out _), $"{method}.{key} missing");
            }

            Assert.InRange(scores.GetProperty("m_lmd").GetDouble(), 0.01, 50);
        }

        Assert.True(File.Exists(Path.Combine(report, "retalk_5-mouth.svg")));
        Assert.True(File.Exists(Path.Combine(report, "retalk_5-sheet.png")));
    }

    [Fact]
    public async Task A_clip_without_sound_is_a_clear_error()
    {
        var video = TestData.Require("video/emo_fear_noaudio.mp4");

        var result = await PipelineCli.RunAsync(_scratch.File("home"), ["eval", "--video", video]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("has no audio", result.Stderr);
    }
}
