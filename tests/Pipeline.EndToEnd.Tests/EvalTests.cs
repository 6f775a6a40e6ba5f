using System.Text.Json;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>`./pipeline eval` on a real clip: the JSON shape tools read, and a report a person can open.</summary>
public sealed class EvalTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("eval");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Eval_scores_and_renders_ours_and_every_baseline_with_the_documented_keys_and_writes_a_report()
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

        // The predicted part is rendered for ours and the static baseline, tracked again and compared with the real frames.
        foreach (var method in new[] { "ours", "static" })
        {
            var scores = json.GetProperty(method);
            Assert.InRange(scores.GetProperty("retracked_m_lmd").GetDouble(), 0.01, 50);
            Assert.InRange(scores.GetProperty("mouth_ssim").GetDouble(), 0.2, 1.0);
            Assert.InRange(scores.GetProperty("mouth_psnr").GetDouble(), 10, 99);
            Assert.True(scores.GetProperty("outside_psnr").GetDouble() >= 40, $"{method}: outside the lower face {scores.GetProperty("outside_psnr").GetDouble():F1} dB");
        }

        Assert.False(json.GetProperty("generic").TryGetProperty("mouth_ssim", out _)); // not rendered: the key is absent, not null
        Assert.True(File.Exists(Path.Combine(report, "retalk_5-mouth.svg")));
        Assert.True(File.Exists(Path.Combine(report, "retalk_5-sheet.png")));
        var sideBySide = Path.Combine(report, "retalk_5-side-by-side.mp4");
        Assert.True(File.Exists(sideBySide));
        var real = Media.Video(video);
        Assert.Equal((3 * real.Width, real.Height), (Media.Video(sideBySide).Width, Media.Video(sideBySide).Height));
    }

    [Fact]
    public async Task No_render_scores_the_landmarks_only()
    {
        var video = TestData.Require("video/retalk_5.mp4");

        var result = await PipelineCli.RunAsync(_scratch.File("home"), ["eval", "--video", video, "--no-render", "--json"]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        var ours = json.GetProperty("ours");
        Assert.True(ours.TryGetProperty("m_lmd", out _));
        Assert.False(ours.TryGetProperty("retracked_m_lmd", out _));

        // The same model driven with the test speech rotated by half its length, as a dub drives footage with other speech.
        var cross = json.GetProperty("cross_drive");
        Assert.Equal(json.GetProperty("frames").GetInt32() - json.GetProperty("split_frame").GetInt32(), 2 * cross.GetProperty("shift_frames").GetInt32(), 1.0);
        foreach (var key in new[] { "follow_r", "leak_r", "chance_r" })
        {
            Assert.InRange(cross.GetProperty(key).GetDouble(), -1, 1);
        }
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
