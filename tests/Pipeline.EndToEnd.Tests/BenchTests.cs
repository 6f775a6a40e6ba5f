using System.Text.Json;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>`./pipeline bench`: a real dub timed from an empty store, beside the ffmpeg floor on the same file.</summary>
public sealed class BenchTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("bench");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Bench_times_a_dub_from_an_empty_store_against_the_floor_and_leaves_nothing_behind()
    {
        var video = TestData.Require("video/retalk_5.mp4");
        var audio = TestData.Require("audio/zh_poem.wav");
        var home = _scratch.File("home");

        var secondAudio = TestData.Require("audio/retalk_audio1.wav");

        // Twice with the same home: a bench never reads a cache, so the second run does all the work again. The second
        // run also dubs the video with other speech in its own store (a title's next language).
        JsonElement json = default;
        for (var i = 0; i < 2; i++)
        {
            string[] second = i == 0 ? [] : ["--second-audio", secondAudio];
            var result = await PipelineCli.RunAsync(home, ["bench", "--video", video, "--audio", audio, .. second, "--json"]);
            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
            json = JsonDocument.Parse(result.Stdout).RootElement;
            Assert.Empty(json.GetProperty("cache_hits").EnumerateArray());
        }

        var wall = json.GetProperty("wall_s").GetDouble();
        var floor = json.GetProperty("floor_wall_s").GetDouble();
        var duration = json.GetProperty("duration_s").GetDouble();
        Assert.InRange(duration, 4.8, 5.0);
        Assert.True(floor > 0);
        // The report rounds each figure on its own, so a ratio recomputed here from rounded parts can differ in the
        // last place; compare within half a percent rather than to fixed decimals (19.664 vs 19.667 failed that way).
        AssertClose(wall / floor, json.GetProperty("ratio_to_floor").GetDouble());
        AssertClose(wall / duration, json.GetProperty("realtime_factor").GetDouble());
        AssertClose(122 / wall, json.GetProperty("fps").GetDouble());
        Assert.True(json.GetProperty("peak_rss_mb").GetInt64() >= json.GetProperty("peak_process_rss_mb").GetInt64());
        // Shared pages count once in all, not once per process: the tree's PSS is at most its summed RSS.
        Assert.InRange(json.GetProperty("peak_pss_mb").GetInt64(), 1, json.GetProperty("peak_rss_mb").GetInt64());
        // What the peak was made of: this process among the tools, summing to the peak (each tool's MB rounded down).
        var memoryByTool = json.GetProperty("peak_rss_by_tool_mb").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Contains("pipeline", memoryByTool.Keys);
        // A child caught before its exec still runs this program and reads as large as it: not a second process's memory.
        Assert.DoesNotContain("dotnet", memoryByTool.Keys);
        Assert.InRange(memoryByTool.Values.Sum(), json.GetProperty("peak_rss_mb").GetInt64() - memoryByTool.Count, json.GetProperty("peak_rss_mb").GetInt64());
        Assert.True(json.GetProperty("stages").TryGetProperty("motion", out _));

        // CPU: the exact total (getrusage) covers at least what the sampler saw by tool, and the recogniser, the
        // decoders and x264 each did some of the work.
        var cpu = json.GetProperty("cpu_s").GetDouble();
        var byTool = json.GetProperty("cpu_by_tool_s").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.True(json.GetProperty("floor_cpu_s").GetDouble() > 0);
        Assert.InRange(json.GetProperty("cpu_utilisation").GetDouble(), 0.01, 1.05);
        Assert.True(byTool.Values.Sum() <= (cpu * 1.02) + 0.5, $"sampled {byTool.Values.Sum()} s by tool against {cpu} s in all");
        Assert.All(new[] { "pipeline", "pocketsphinx", "ffmpeg_decode", "ffmpeg_encode" }, tool => Assert.True(byTool.GetValueOrDefault(tool) > 0, $"{tool}: {string.Join(", ", byTool)}"));
        // The next language reuses what depends on the video alone and pays for the new speech.
        var next = json.GetProperty("second_dub");
        var cached = next.GetProperty("cache_hits").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("encoding/target", cached);
        Assert.Contains("exemplar-bank", cached);
        Assert.Contains(cached, node => node!.StartsWith("track/", StringComparison.Ordinal));
        Assert.DoesNotContain("encoding/new-speech", cached);
        Assert.DoesNotContain(cached, node => node!.StartsWith("render/", StringComparison.Ordinal));
        Assert.InRange(next.GetProperty("duration_s").GetDouble(), 4.8, 5.0);
        AssertClose(next.GetProperty("wall_s").GetDouble() / floor, next.GetProperty("ratio_to_floor").GetDouble());
        Assert.True(next.GetProperty("cpu_s").GetDouble() > 0);
        Assert.False(Directory.Exists(Path.Combine(home, "store")) && Directory.EnumerateFileSystemEntries(Path.Combine(home, "store")).Any());
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 0.005 * Math.Abs(expected) + 0.01, $"expected {expected}, reported {actual}");
}
