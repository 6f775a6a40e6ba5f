using System.Text.Json;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>`./pipeline dub` on real clips: the whole job (tracking, speech, motion, rendering, mux) through the real stage pipeline.</summary>
public sealed class DubTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("dub");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Cut_with_the_longer_audio_redraws_the_lower_face_and_leaves_the_rest_within_codec_noise()
    {
        var video = TestData.Require("video/vox_00015.mp4");
        var audio = TestData.Require("audio/long_sun_22s.wav");
        var output = _scratch.File("o.mp4");
        var home = _scratch.File("home");

        var json = await DubAsync(video, audio, output, "cut", home);

        var (source, result) = (Media.Video(video), Media.Video(output));
        Assert.Equal("h264", result.Codec);
        Assert.Equal((source.Width, source.Height, source.FrameRate), (result.Width, result.Height, result.FrameRate));
        Assert.Equal(["aac"], Media.AudioCodecs(output));
        AssertDuration(Ffmpeg.Duration(video, "v:0"), output);
        var render = json.GetProperty("render");
        Assert.Equal(json.GetProperty("motion").GetProperty("frames").GetInt64(), render.GetProperty("frames").GetInt64());
        Assert.True(render.GetProperty("faces_drawn").GetInt64() > 0.9 * render.GetProperty("frames").GetInt64());
        Assert.Equal("exemplar", json.GetProperty("backend").GetString());

        // Outside the lower face, every frame is the source's within codec noise.
        var landmarks = Path.Combine(home, "store", json.GetProperty("motion").GetProperty("artifact").GetString()!);
        var psnr = FrameComparison.OutsideLowerFacePsnr(video, output, landmarks, source.Width, source.Height);
        Assert.True(psnr >= 40, $"outside the lower face: {psnr:F1} dB");
    }

    [Fact]
    public async Task Cut_with_the_longer_video_ends_with_the_audio()
    {
        var video = TestData.Require("video/retalk_2.mp4");
        var audio = TestData.Require("audio/mead_m006_16k.wav");
        var output = _scratch.File("o.mp4");

        await DubAsync(video, audio, output, "cut", backend: "warp");

        AssertDuration(Ffmpeg.Duration(audio, "a:0"), output);
    }

    [Theory]
    [InlineData("cut", 1)]
    [InlineData("pad", 2)]
    public async Task Speech_that_ends_before_the_last_chunk_starts(string policy, int chunks)
    {
        // 11.6 s of video is two render chunks (10 s each); 4.9 s of speech ends before the second starts. Cut ends
        // with the speech, so that chunk is not rendered at all. Pad keeps the video's length: its second chunk has no
        // motion rows, passes through as no face, and rendering it once failed the job ("internal error in render/1").
        var video = _scratch.File("two-chunks.mp4");
        Ffmpeg.Run(
            "-i", TestData.Require("video/vox_00086.mp4"), "-i", TestData.Require("video/vox_00473.mp4"),
            "-filter_complex", "[0:v][0:a][1:v][1:a]concat=n=2:v=1:a=1[v][a]",
            "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", "-c:a", "aac", video);
        var audio = TestData.Require("audio/mead_m006_16k.wav");
        var output = _scratch.File("o.mp4");

        var json = await DubAsync(video, audio, output, policy, backend: "warp");

        Assert.Equal(chunks, json.GetProperty("render").GetProperty("chunks").GetInt32());
        AssertDuration(policy == "pad" ? Ffmpeg.Duration(video, "v:0") : Ffmpeg.Duration(audio, "a:0"), output);
    }

    [Theory]
    [InlineData("loop")]
    [InlineData("bounce")]
    [InlineData("hold")]
    public async Task Policies_that_extend_a_short_video_last_as_long_as_the_audio(string policy)
    {
        var video = TestData.Require("video/vox_00086.mp4"); // 5.26 s
        var audio = TestData.Require("audio/en_radio31.wav"); // 8.00 s
        var output = _scratch.File($"{policy}.mp4");

        var json = await DubAsync(video, audio, output, policy);

        AssertDuration(Ffmpeg.Duration(audio, "a:0"), output);
        // The video is extended before tracking, so motion and rendering cover every frame of the 8 s: the lips
        // follow the speech past the video's own end instead of replaying (or freezing) its first 5.26 s.
        Assert.Contains("prepare-video", json.GetProperty("stages").EnumerateObject().Select(p => p.Name));
        // Every frame of the speech (200 at 25 fps) has its mouth predicted and drawn, and no other: loop's copied
        // extension ends just past the speech, never short of it, and the render stops at the speech's last frame.
        var speechFrames = (long)Math.Round(Ffmpeg.Duration(audio, "a:0") * 25);
        Assert.Equal(speechFrames, json.GetProperty("motion").GetProperty("frames").GetInt64());
        Assert.Equal(speechFrames, json.GetProperty("render").GetProperty("frames").GetInt64());
        var stream = Media.Video(output);
        Assert.Equal((Media.Video(video).Width, Media.Video(video).Height), (stream.Width, stream.Height));
        Assert.Equal(["aac"], Media.AudioCodecs(output));
    }

    [Fact]
    public async Task Pad_keeps_the_video_length_and_pads_the_audio_with_silence()
    {
        var video = TestData.Require("video/vox_00015.mp4"); // 7.02 s
        var audio = TestData.Require("audio/mead_m006_16k.wav"); // 4.88 s
        var output = _scratch.File("pad.mp4");

        await DubAsync(video, audio, output, "pad");

        AssertDuration(Ffmpeg.Duration(video, "v:0"), output);
        AssertDuration(Ffmpeg.Duration(video, "v:0"), output, "a:0");
    }

    [Fact]
    public async Task Json_reports_output_duration_stage_timings_motion_and_render()
    {
        var video = TestData.Require("video/retalk_5.mp4");
        var audio = TestData.Require("audio/zh_poem.wav");
        var output = _scratch.File("o.mp4");

        var json = await DubAsync(video, audio, output, "cut");

        Assert.Equal(Path.GetFullPath(output), json.GetProperty("output").GetString());
        Assert.InRange(json.GetProperty("duration_s").GetDouble(), 4.8, 5.0);
        var stages = json.GetProperty("stages").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(
            ["encoding/new-speech", "encoding/target", "exemplar-bank", "features/new-speech", "features/target", "ingest", "motion", "mux", "prepare-audio", "render/0", "track/0"],
            stages.Order(StringComparer.Ordinal));
        Assert.Equal("ingest", stages[0]);
        Assert.Equal("mux", stages[^1]);
        var motion = json.GetProperty("motion");
        Assert.Equal("personal", motion.GetProperty("model").GetString()); // retalk_5 has 4.9 s of its own speech to fit on
        Assert.Equal(122, motion.GetProperty("frames").GetInt64()); // the shorter of the video (122 frames) and the speech
        Assert.Equal("exemplar", json.GetProperty("backend").GetString());
        Assert.Equal((1, 122, 122), (json.GetProperty("render").GetProperty("chunks").GetInt32(), json.GetProperty("render").GetProperty("frames").GetInt64(), json.GetProperty("render").GetProperty("faces_drawn").GetInt64()));
    }

    [Fact]
    public async Task The_same_job_again_is_served_from_cache()
    {
        var video = TestData.Require("video/vox_00473.mp4");
        var audio = TestData.Require("audio/retalk_audio1.wav");
        var home = _scratch.File("home");

        var first = await DubAsync(video, audio, _scratch.File("a.mp4"), "cut", home);
        var second = await DubAsync(video, audio, _scratch.File("b.mp4"), "cut", home);

        Assert.Empty(first.GetProperty("cache_hits").EnumerateArray());
        Assert.Equal(
            ["encoding/new-speech", "encoding/target", "exemplar-bank", "features/new-speech", "features/target", "ingest", "motion", "mux", "prepare-audio", "render/0", "track/0"],
            second.GetProperty("cache_hits").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(_scratch.File("a.mp4")), File.ReadAllBytes(_scratch.File("b.mp4")));
    }

    [Fact]
    public async Task A_video_dubbed_into_another_language_is_not_tracked_again()
    {
        // A catalog title dubbed twice: the second job's face-tracking chunks come from the first job's artifacts.
        var video = TestData.Require("video/retalk_3.mp4");
        var home = _scratch.File("home");

        var english = await DubAsync(video, TestData.Require("audio/retalk_audio1.wav"), _scratch.File("en.mp4"), "cut", home);
        var other = await DubAsync(video, TestData.Require("audio/en_radio31.wav"), _scratch.File("other.mp4"), "cut", home);

        Assert.DoesNotContain("track/0", english.GetProperty("cache_hits").EnumerateArray().Select(e => e.GetString()));
        var hits = other.GetProperty("cache_hits").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("track/0", hits);
        Assert.Contains("features/target", hits);
        Assert.Contains("encoding/target", hits);
        Assert.Contains("exemplar-bank", hits); // the bank is the video's, whatever the speech
        Assert.DoesNotContain("render/0", hits);
        Assert.DoesNotContain("prepare-audio", hits);
        Assert.DoesNotContain("encoding/new-speech", hits);
        Assert.DoesNotContain("motion", hits);
        Assert.True(other.GetProperty("stages").TryGetProperty("track/0", out _));
    }

    [Fact]
    public async Task A_video_without_audio_and_a_variable_frame_rate_video_both_dub()
    {
        var audio = TestData.Require("audio/eamm_00015.mp3");
        foreach (var name in new[] { "emo_fear_noaudio.mp4", "retalk_1.mp4", "mead_m030_sad_1080p.mp4", "hdtf_katiehill.mp4" })
        {
            var video = TestData.Require("video/" + name);
            var output = _scratch.File(name);
            var json = await DubAsync(video, audio, output, "cut");
            var (source, result) = (Media.Video(video), Media.Video(output));
            Assert.Equal((source.Width, source.Height, source.FrameRate), (result.Width, result.Height, result.FrameRate));
            if (name == "emo_fear_noaudio.mp4")
            {
                // No sound of its own to fit on: the target's speech stages are skipped and motion is the generic model.
                Assert.Equal("generic", json.GetProperty("motion").GetProperty("model").GetString());
                Assert.Equal(0, json.GetProperty("stages").GetProperty("encoding/target").GetDouble());
            }

            Assert.Equal(["aac"], Media.AudioCodecs(output));
        }
    }

    [Fact]
    public async Task Keep_original_audio_through_two_rendered_chunks_with_subtitles_tags_and_stills()
    {
        // 11.6 s: two render chunks. The source has its own speech, a subtitle track and a title.
        var ct = TestContext.Current.CancellationToken;
        var srt = _scratch.File("subs.srt");
        await File.WriteAllTextAsync(srt, "1\n00:00:01,000 --> 00:00:03,000\nfirst\n\n2\n00:00:09,000 --> 00:00:11,000\nsecond\n", ct);
        var video = _scratch.File("two-chunks.mp4");
        Ffmpeg.Run(
            "-i", TestData.Require("video/vox_00086.mp4"), "-i", TestData.Require("video/vox_00473.mp4"), "-i", srt,
            "-filter_complex", "[0:v][0:a][1:v][1:a]concat=n=2:v=1:a=1[v][a]",
            "-map", "[v]", "-map", "[a]", "-map", "2", "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", "-c:a", "aac", "-c:s", "mov_text",
            "-metadata", "title=Two speakers", video);
        var audio = TestData.Require("audio/long_sun_22s.wav");
        var output = _scratch.File("kept.mp4");

        var json = await DubAsync(video, audio, output, "cut", extra: "--keep-original-audio");

        Assert.Equal(2, json.GetProperty("render").GetProperty("chunks").GetInt32());
        var tracks = Ffmpeg.Probe("-select_streams", "a", "-show_entries", "stream=codec_name:stream_disposition=default:stream_tags=handler_name", "-of", "csv=p=0", output)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["aac,1,SoundHandler", "aac,0,Original audio"], tracks);
        var length = Ffmpeg.Duration(video, "v:0");
        AssertDuration(length, output);
        AssertDuration(length, output, "a:0");
        AssertDuration(length, output, "a:1");

        // The second track is the source's speech (its loudness follows the source's), the first is the new speech.
        var source = Envelope(video, "0:a:0", "src");
        var kept = Envelope(output, "0:a:1", "kept");
        var dubbed = Envelope(output, "0:a:0", "dub");
        Assert.True(Correlation(source, kept) > 0.95, $"original track against the source: r = {Correlation(source, kept):F3}");
        Assert.True(Correlation(source, dubbed) < 0.5, $"new speech against the source: r = {Correlation(source, dubbed):F3}");

        // Rendered chunks carry no subtitles or tags: they come from the source.
        Assert.Equal("mov_text", Ffmpeg.Probe("-select_streams", "s:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", output).Trim());
        Assert.Equal("Two speakers", Ffmpeg.Probe("-show_entries", "format_tags=title", "-of", "csv=p=0", output).Trim());

        // Thumbnail and preview strip beside the output, named in the JSON.
        Assert.Equal(Path.GetFullPath(_scratch.File("kept.thumb.jpg")), json.GetProperty("thumbnail").GetString());
        Assert.Equal(Path.GetFullPath(_scratch.File("kept.preview.jpg")), json.GetProperty("preview").GetString());
        Assert.Equal("mjpeg,224,224", Ffmpeg.Probe("-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", json.GetProperty("thumbnail").GetString()!).Trim());
        Assert.Equal("mjpeg,1200,120", Ffmpeg.Probe("-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", json.GetProperty("preview").GetString()!).Trim());
    }

    private async Task<JsonElement> DubAsync(string video, string audio, string output, string policy, string? home = null, string backend = "auto", params string[] extra)
    {
        var result = await PipelineCli.RunAsync(
            home ?? _scratch.File("home"),
            ["dub", "--video", video, "--audio", audio, "--out", output, "--length-policy", policy, "--backend", backend, "--json", .. extra]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    /// <summary>RMS per 100 ms of one audio stream, decoded to 16 kHz mono by ffmpeg.</summary>
    private double[] Envelope(string path, string stream, string name)
    {
        var raw = _scratch.File(name + ".f32");
        Ffmpeg.Run("-i", path, "-map", stream, "-ac", "1", "-ar", "16000", "-f", "f32le", raw);
        var bytes = File.ReadAllBytes(raw);
        var samples = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
        return samples.Chunk(1600).Where(c => c.Length == 1600).Select(c => Math.Sqrt(c.Average(x => (double)x * x))).ToArray();
    }

    private static double Correlation(double[] a, double[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        var (ma, mb) = (a.Take(n).Average(), b.Take(n).Average());
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < n; i++)
        {
            (ab, aa, bb) = (ab + ((a[i] - ma) * (b[i] - mb)), aa + ((a[i] - ma) * (a[i] - ma)), bb + ((b[i] - mb) * (b[i] - mb)));
        }

        return ab / Math.Sqrt(aa * bb);
    }

    /// <summary>Durations must agree within one frame of the output's video.</summary>
    private static void AssertDuration(double expected, string output, string? stream = null)
    {
        var actual = Ffmpeg.Duration(output, stream);
        var frame = Media.FrameDuration(output);
        Assert.True(Math.Abs(actual - expected) <= frame + 1e-3, $"duration {actual:F3} s, expected {expected:F3} s ± {frame:F3} s ({stream ?? "container"})");
    }
}
