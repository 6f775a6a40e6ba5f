using System.Globalization;
using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Media.Tests;

public sealed class MediaEditorTests : IDisposable
{
    private readonly MediaTools _tools = new();
    private readonly ScratchDirectory _scratch = new("media-editor");

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("audio/eamm_00015.mp3")]
    [InlineData("video/hdtf_katiehill.mp4")]
    [InlineData("audio/de_speech.wav")]
    public async Task Decodes_audio_to_16k_mono_float_wav(string file)
    {
        var input = TestData.Require(file);
        var output = _scratch.File("out dir/speech.wav");
        var progress = new List<double>();
        await _tools.Editor.DecodeAudioToWavAsync(input, output, 16000, 1, new SyncProgress(progress.Add), TestContext.Current.CancellationToken);

        var fields = Ffmpeg.Probe("-show_entries", "stream=codec_name,sample_rate,channels", "-of", "csv=p=0", output).Trim();
        Assert.Equal("pcm_f32le,16000,1", fields);
        // mp3 decoder delay and padding are trimmed, so allow a few hundredths.
        Assert.InRange(Ffmpeg.Duration(output), Ffmpeg.Duration(input, "a:0") - 0.06, Ffmpeg.Duration(input, "a:0") + 0.06);
        Assert.Equal(1.0, progress[^1]);
    }

    [Fact]
    public async Task Png_given_as_audio_is_NoAudioStream()
    {
        var e = await Assert.ThrowsAsync<MediaException>(() => _tools.Editor.DecodeAudioToWavAsync(TestData.Require("image/painting_mona.png"), _scratch.File("a.wav"), 16000, 1, ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.NoAudioStream, e.Kind);
        Assert.Contains("painting_mona.png", e.Message, StringComparison.Ordinal);
        Assert.Contains("no audio", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consecutive_cuts_hold_every_frame_once_and_concat_rejoins_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var input = TestData.Require("video/vox_00086.mp4"); // 130 frames at 25 fps
        var settings = new EncodeSettings(Crf: 0, Preset: "ultrafast");
        var chunks = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var chunk = _scratch.File($"chunk '{i}'.mp4");
            await _tools.Editor.CutAsync(input, chunk, i * 2.0, 2.0, settings, ct);
            chunks.Add(chunk);
        }

        var counts = chunks.Select(CountFrames).ToArray();
        Assert.Equal([50, 50, 30], counts);

        // Lossless chunks: decoded frames are the source's frames, none repeated or lost.
        var joined = _scratch.File("joined.mp4");
        await _tools.Editor.ConcatAsync(chunks, joined, ct);
        Assert.Equal(PacketHashes.Frames(input), PacketHashes.Frames(joined));
        Assert.Equal(130, CountFrames(joined));
    }

    [Fact]
    public async Task Concat_refuses_mismatched_files()
    {
        var a = TestData.Require("video/vox_00086.mp4");
        var b = TestData.Require("video/retalk_2.mp4");
        var e = await Assert.ThrowsAsync<MediaException>(() => _tools.Editor.ConcatAsync([a, b], _scratch.File("j.mp4"), ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.Unsupported, e.Kind);
        Assert.Contains("retalk_2.mp4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reverse_segments_stay_within_the_memory_budget_and_are_exact()
    {
        var ct = TestContext.Current.CancellationToken;
        var input = _scratch.File("vox-short.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00086.mp4"), "-t", "1.2", "-an", "-c:v", "libx264", "-preset", "ultrafast", input);
        var info = await _tools.Prober.ProbeAsync(input, ct);
        var commands = new List<string>();

        // 224x224 4:2:0 is 75 kB a frame: a 610 kB budget gives 8-frame segments.
        const long budget = 610_000;
        Assert.Equal(8, BounceVideoBuilder.SegmentFrames(224, 224, budget));
        var builder = new BounceVideoBuilder(_tools.Prober, _tools.Runner, budget, commands);
        var list = await builder.BuildAsync(info, _scratch.Path, 3.0, "yuv420p", new Progress<double>(), ct);

        var forward = PacketHashes.Frames(_scratch.File("forward.mkv"));
        var sequence = PacketHashes.Frames(list, "-f", "concat", "-safe", "0");
        var n = forward.Length;
        Assert.Equal(30, n);
        string[] expected = [.. forward, .. forward[1..^1].Reverse(), .. forward];
        Assert.Equal(expected, sequence[..expected.Length]);

        // Every reversing ffmpeg read at most one segment: "-t" before "-i" bounds what reverse buffers.
        var reversing = commands.Where(c => c.Contains("reverse", StringComparison.Ordinal)).ToArray();
        Assert.Equal((int)Math.Ceiling((n - 2) / 8.0), reversing.Length);
        Assert.All(reversing[..^1], c => Assert.Matches(@"-t 0\.32 -i ", c));
    }

    private static int CountFrames(string path) =>
        int.Parse(Ffmpeg.Probe("-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", path).Trim(), CultureInfo.InvariantCulture);

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
