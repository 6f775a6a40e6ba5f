using System.Text.Json;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>`./pipeline features` on real and deliberately awkward audio: a clear result or a clear error, never a crash.</summary>
public sealed class FeaturesTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("features");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Real_speech_gives_frames_on_the_video_clock_npy_files_and_a_picture()
    {
        var audio = TestData.Require("audio/en_radio31.wav"); // 8.00 s
        var output = _scratch.File("out");

        var json = await FeaturesAsync(audio, output, "25");

        Assert.Equal(200, json.GetProperty("frames").GetInt64());
        Assert.Equal(25.0, json.GetProperty("fps").GetDouble());
        var voiced = json.GetProperty("voiced_frames").GetInt64();
        Assert.InRange(voiced, 40, 190);
        foreach (var file in new[] { "mel80.npy", "wav2lip_mel.npy", "mfcc.npy", "energy.npy", "f0.npy", "voicing.npy", "vad.npy", "features.json", "visemes.npy", "content.json", "emotion.npy", "emotion.json", "features.svg" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        }

        var svg = await File.ReadAllTextAsync(Path.Combine(output, "features.svg"), TestContext.Current.CancellationToken);
        Assert.StartsWith("<svg", svg);
        Assert.Contains("viseme posteriors", svg);
    }

    [Theory]
    [InlineData("23.976", 23.976)]
    [InlineData("29.97", 29.97)]
    [InlineData("30000/1001", 29.97)]
    [InlineData("60", 60)]
    public async Task Any_frame_rate_gives_duration_times_fps_frames(string fps, double rate)
    {
        var audio = TestData.Require("audio/mead_m006_16k.wav"); // 4.88 s
        var json = await FeaturesAsync(audio, _scratch.File("out-" + fps.Replace('/', '_')), fps);

        var expected = Ffmpeg.Duration(audio, "a:0") * rate;
        Assert.InRange(json.GetProperty("frames").GetInt64(), (long)Math.Floor(expected) - 1, (long)Math.Ceiling(expected) + 1);
    }

    [Fact]
    public async Task The_recogniser_runs_with_the_settings_a_dub_would_read()
    {
        var audio = TestData.Require("audio/mead_m006_16k.wav");
        var home = _scratch.File("home");
        var defaults = _scratch.File("out-default");
        var configured = _scratch.File("out-configured");

        await FeaturesAsync(audio, defaults, "25");
        var result = await PipelineCli.RunAsync(
            home, ["features", "--audio", audio, "--out", configured, "--json"],
            environment: new Dictionary<string, string> { ["PIPELINE_Content__PocketSphinx__PhoneBeam"] = "1e-10" });
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");

        Assert.Contains("pbeam=1e-9", SearchSettings(defaults));
        Assert.Contains("pbeam=1e-10", SearchSettings(configured));

        static string SearchSettings(string folder) =>
            JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "content.json"))).RootElement
                .GetProperty("parameters").GetProperty("pocketsphinx_search").GetString()!;
    }

    [Fact]
    public async Task All_silent_audio_is_a_result_with_no_speech()
    {
        var silent = _scratch.File("silent.wav");
        Ffmpeg.Run("-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "3", silent);

        var json = await FeaturesAsync(silent, _scratch.File("out"), "25");

        Assert.Equal(75, json.GetProperty("frames").GetInt64());
        Assert.Equal(0, json.GetProperty("voiced_frames").GetInt64());
        Assert.Equal(0, json.GetProperty("active_frames").GetInt64());
    }

    [Fact]
    public async Task Eight_channels_at_192_khz_are_downmixed_and_resampled()
    {
        var speech = TestData.Require("audio/en_radio31.wav");
        var wide = _scratch.File("wide.wav");
        Ffmpeg.Run("-i", speech, "-filter_complex", "[0:a]pan=mono|c0=c0,asplit=8[a0][a1][a2][a3][a4][a5][a6][a7];[a0][a1][a2][a3][a4][a5][a6][a7]amerge=inputs=8", "-ar", "192000", "-c:a", "pcm_s24le", wide);

        var json = await FeaturesAsync(wide, _scratch.File("out"), "25");

        Assert.Equal(200, json.GetProperty("frames").GetInt64());
        Assert.True(json.GetProperty("voiced_frames").GetInt64() > 40);
    }

    [Fact]
    public async Task Zero_length_and_corrupt_audio_are_one_line_errors()
    {
        var empty = _scratch.File("empty.wav");
        await File.WriteAllBytesAsync(empty, [], TestContext.Current.CancellationToken);
        var garbage = _scratch.File("garbage.mp3");
        await File.WriteAllBytesAsync(garbage, Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray(), TestContext.Current.CancellationToken);
        var image = TestData.Require("image/eamm_7.png");

        foreach (var (file, expected) in new[] { (empty, "empty"), (garbage, "garbage.mp3"), (image, "no audio stream") })
        {
            var result = await PipelineCli.RunAsync(_scratch.File("home"), ["features", "--audio", file, "--fps", "25", "--out", _scratch.File("bad")]);
            Assert.Equal(1, result.ExitCode);
            var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, result.Stderr);
            Assert.Contains(expected, lines[0], StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_truncated_file_still_gives_features_for_what_decodes()
    {
        var speech = TestData.Require("audio/eamm_00015.mp3");
        var truncated = _scratch.File("truncated.mp3");
        var bytes = await File.ReadAllBytesAsync(speech, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)], TestContext.Current.CancellationToken);

        var json = await FeaturesAsync(truncated, _scratch.File("out"), "25");

        Assert.InRange(json.GetProperty("frames").GetInt64(), 60, 110);
    }

    [Fact]
    public async Task A_long_track_is_encoded_in_windows_cut_in_pauses_and_plotted_in_bounded_columns()
    {
        // Five minutes of real speech (a clip looped), compressed as a catalog track would be. Windows are at most 30 s,
        // each cut at a pause in its last 10 s: between 300 / 30 and 300 / 20 of them.
        var speech = TestData.Require("audio/long_sun_22s.wav");
        var track = _scratch.File("five-minutes.m4a");
        Ffmpeg.Run("-stream_loop", "-1", "-i", speech, "-t", "300", "-ac", "1", "-c:a", "aac", "-b:a", "64k", track);
        var output = _scratch.File("out");

        var json = await FeaturesAsync(track, output, "30", "--content-method", "HeadAudio");

        var frames = json.GetProperty("frames").GetInt64();
        Assert.InRange(frames, 8999, 9001);
        using var content = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "content.json"), TestContext.Current.CancellationToken));
        Assert.InRange(content.RootElement.GetProperty("parameters").GetProperty("windows").GetInt32(), 10, 15);
        Assert.Equal(frames, Pipeline.Features.NpyReader.Load<float>(Path.Combine(output, "visemes.npy")).Info.Shape[0]);
        Assert.Equal([frames, 195L], Pipeline.Features.NpyReader.Load<float>(Path.Combine(output, "mfcc_context.npy")).Info.Shape);
        Assert.InRange(json.GetProperty("peak_rss_mb").GetInt64(), 1, 400);
    }

    private async Task<JsonElement> FeaturesAsync(string audio, string output, string fps, params string[] extra)
    {
        var result = await PipelineCli.RunAsync(_scratch.File("home"), ["features", "--audio", audio, "--fps", fps, "--out", output, "--json", .. extra]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        return JsonDocument.Parse(result.Stdout).RootElement;
    }
}
