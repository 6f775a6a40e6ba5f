using Pipeline.Contracts.Jobs;
using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Media.Tests;

/// <summary>Each length policy on real clips, with the new audio shorter and longer than the video.</summary>
public sealed class MuxTests : IDisposable
{
    private readonly MediaTools _tools = new(new MediaToolOptions { ProcessTimeout = TimeSpan.FromSeconds(60), ReverseMemoryBudgetBytes = 2_000_000 });
    private readonly ScratchDirectory _scratch = new("media-mux");

    public void Dispose() => _scratch.Dispose();

    public static TheoryData<LengthPolicy, double, bool> Policies => new()
    {
        // policy, audio seconds (the video is 5.2 s), video copied
        { LengthPolicy.Cut, 3.0, true },
        { LengthPolicy.Cut, 8.0, true },
        { LengthPolicy.Pad, 3.0, true },
        { LengthPolicy.Pad, 8.0, true },
        { LengthPolicy.Loop, 3.0, true },
        { LengthPolicy.Loop, 12.3, true },
        { LengthPolicy.Hold, 3.0, true },
        { LengthPolicy.Hold, 7.0, false },
        { LengthPolicy.Bounce, 3.0, true },
        { LengthPolicy.Bounce, 6.5, false },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task Policy_gives_the_expected_length(LengthPolicy policy, double audioSeconds, bool copied)
    {
        var video = TestData.Require("video/vox_00086.mp4");
        var audio = Audio(audioSeconds);
        var output = _scratch.File($"{policy}-{audioSeconds}.mp4");
        var progress = new List<double>();

        var result = await _tools.Editor.MuxAsync(new MuxRequest(video, audio, output, policy, OutputSettings.Default), new SyncProgress(progress.Add), TestContext.Current.CancellationToken);

        var videoSeconds = Ffmpeg.Duration(video, "v:0");
        var expected = policy switch
        {
            LengthPolicy.Cut => Math.Min(videoSeconds, audioSeconds),
            LengthPolicy.Pad => videoSeconds,
            _ => audioSeconds,
        };
        AssertWithinOneFrame(expected, Ffmpeg.Duration(output), 25);
        AssertWithinOneFrame(expected, Ffmpeg.Duration(output, "a:0"), 25);
        AssertWithinOneFrame(expected, result.DurationSeconds, 25);
        Assert.Equal(copied, result.VideoStreamCopied);
        Assert.NotEmpty(result.CommandLines);
        Assert.Equal(1.0, progress[^1], 3);
        Assert.Equal("aac", Ffmpeg.Probe("-select_streams", "a:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", output).Trim());

        if (copied)
        {
            AssertPacketsCopied(video, output);
        }
        else
        {
            Assert.Equal("h264,224,224", Ffmpeg.Probe("-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", output).Trim());
        }
    }

    [Theory]
    [InlineData("video/retalk_1.mp4", LengthPolicy.Cut, 4.0, 30)]        // variable frame rate
    [InlineData("video/retalk_1.mp4", LengthPolicy.Loop, 9.0, 30)]
    [InlineData("video/hdtf_ocasiocortez.mp4", LengthPolicy.Pad, 5.0, 25)] // MPEG-4 Part 2
    [InlineData("video/hdtf_ocasiocortez.mp4", LengthPolicy.Loop, 10.0, 25)]
    [InlineData("video/mead_m030_sad_1080p.mp4", LengthPolicy.Cut, 2.5, 30)] // yuvj444p 1080p
    [InlineData("video/emo_fear_noaudio.mp4", LengthPolicy.Cut, 5.0, 25)]  // no audio in the video
    public async Task Awkward_inputs_are_copied_exactly(string file, LengthPolicy policy, double audioSeconds, double fps)
    {
        var video = TestData.Require(file);
        var output = _scratch.File(Path.GetFileNameWithoutExtension(file) + $"-{policy}.mp4");
        var result = await _tools.Editor.MuxAsync(new MuxRequest(video, Audio(audioSeconds), output, policy, OutputSettings.Default), ct: TestContext.Current.CancellationToken);

        var expected = policy == LengthPolicy.Pad ? Ffmpeg.Duration(video, "v:0") : audioSeconds;
        AssertWithinOneFrame(expected, Ffmpeg.Duration(output), fps);
        Assert.True(result.VideoStreamCopied);
        AssertPacketsCopied(video, output);
    }

    [Fact]
    public async Task Hold_on_the_1080p_yuvj444p_clip_re_encodes_to_yuv420p()
    {
        // The first 0.5 s by stream copy: still yuvj444p 1080p, but quick to re-encode.
        var video = _scratch.File("mead-short.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/mead_m030_sad_1080p.mp4"), "-t", "0.5", "-c", "copy", video);
        var output = _scratch.File("hold-1080.mp4");
        var result = await _tools.Editor.MuxAsync(new MuxRequest(video, Audio(1.0), output, LengthPolicy.Hold, OutputSettings.Default with { Crf = 0, Preset = "ultrafast" }), ct: TestContext.Current.CancellationToken);
        Assert.False(result.VideoStreamCopied);
        AssertWithinOneFrame(1.0, Ffmpeg.Duration(output), 30);
        Assert.Equal("yuv420p", Ffmpeg.Probe("-select_streams", "v:0", "-show_entries", "stream=pix_fmt", "-of", "csv=p=0", output).Trim());

        // The held tail repeats the last picture (lossless, so the decoded frames are identical).
        var frames = PacketHashes.Frames(output);
        Assert.Equal(frames[^1], frames[^5]);
    }

    [Fact]
    public async Task Bounce_plays_backward_after_forward()
    {
        var video = _scratch.File("vox-short.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00086.mp4"), "-t", "1.2", "-an", "-c:v", "libx264", "-preset", "ultrafast", video);
        var output = _scratch.File("bounce.mkv");
        var settings = OutputSettings.Default with { Crf = 0, Preset = "ultrafast" };
        await _tools.Editor.MuxAsync(new MuxRequest(video, Audio(3.0), output, LengthPolicy.Bounce, settings), ct: TestContext.Current.CancellationToken);

        // Lossless output: after the n input frames come frames n-2 down to 1, then frame 0 again.
        var source = PacketHashes.Frames(video);
        var bounced = PacketHashes.Frames(output);
        var n = source.Length;
        Assert.Equal(source, bounced[..n]);
        Assert.Equal(source[1..^1].Reverse(), bounced[n..(2 * n - 2)]);
        Assert.Equal(source[0], bounced[2 * n - 2]);
    }

    [Fact]
    public async Task Keeps_the_original_audio_as_a_second_non_default_track_in_mkv_and_mov()
    {
        var video = TestData.Require("video/retalk_2.mp4");
        foreach (var ext in new[] { ".mkv", ".mov" })
        {
            var output = _scratch.File("two-tracks" + ext);
            var request = new MuxRequest(video, Audio(3.0), output, LengthPolicy.Cut, OutputSettings.Default, OriginalAudioSourcePath: video);
            await _tools.Editor.MuxAsync(request, ct: TestContext.Current.CancellationToken);

            var tracks = Ffmpeg.Probe("-select_streams", "a", "-show_entries", "stream=codec_name:stream_disposition=default", "-of", "csv=p=0", output)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(["aac,1", "aac,0"], tracks);

            // Matroska has no edit lists, so the AAC encoder's 1024 priming samples (64 ms at 16 kHz) count in its duration.
            var priming = ext == ".mkv" ? 1024 / 16000.0 : 0;
            Assert.InRange(Ffmpeg.Duration(output), 3.0 - 0.041, 3.0 + 0.041 + priming);
        }
    }

    [Fact]
    public async Task Subtitles_and_metadata_are_kept()
    {
        var ct = TestContext.Current.CancellationToken;
        var srt = _scratch.File("subs.srt");
        await File.WriteAllTextAsync(srt, "1\n00:00:00,500 --> 00:00:02,000\nhello\n\n2\n00:00:04,000 --> 00:00:05,000\nlate\n", ct);
        var video = _scratch.File("with-subs.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00086.mp4"), "-i", srt, "-map", "0", "-map", "1", "-c", "copy", "-c:s", "mov_text", "-metadata", "title=Interview", video);

        var output = _scratch.File("subs-out.mp4");
        await _tools.Editor.MuxAsync(new MuxRequest(video, Audio(3.0), output, LengthPolicy.Cut, OutputSettings.Default), ct: ct);

        Assert.Equal("mov_text", Ffmpeg.Probe("-select_streams", "s:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", output).Trim());
        Assert.Equal("Interview", Ffmpeg.Probe("-show_entries", "format_tags=title", "-of", "csv=p=0", output).Trim());
        AssertWithinOneFrame(3.0, Ffmpeg.Duration(output), 25);
    }

    [Theory]
    [InlineData(LengthPolicy.Cut, 3.0)]
    [InlineData(LengthPolicy.Loop, 7.0)]
    [InlineData(LengthPolicy.Hold, 7.0)]
    public async Task Subtitles_and_metadata_come_from_the_source_when_the_picture_is_rendered(LengthPolicy policy, double audioSeconds)
    {
        // Rendered chunks carry no subtitles or tags: the source video given as MetadataSourcePath supplies them.
        var ct = TestContext.Current.CancellationToken;
        var srt = _scratch.File("subs.srt");
        await File.WriteAllTextAsync(srt, "1\n00:00:00,500 --> 00:00:02,000\nhello\n\n2\n00:00:04,000 --> 00:00:05,000\nlate\n", ct);
        var source = _scratch.File("source-subs.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00086.mp4"), "-i", srt, "-map", "0", "-map", "1", "-c", "copy", "-c:s", "mov_text", "-metadata", "title=Interview", source);
        var rendered = _scratch.File("rendered.mp4");
        Ffmpeg.Run("-i", source, "-map", "0:v", "-c", "copy", "-map_metadata", "-1", rendered);

        var output = _scratch.File($"from-source-{policy}.mp4");
        var request = new MuxRequest(rendered, Audio(audioSeconds), output, policy, OutputSettings.Default, MetadataSourcePath: source);
        await _tools.Editor.MuxAsync(request, ct: ct);

        Assert.Equal("mov_text", Ffmpeg.Probe("-select_streams", "s:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", output).Trim());
        Assert.Equal("Interview", Ffmpeg.Probe("-show_entries", "format_tags=title", "-of", "csv=p=0", output).Trim());
        AssertWithinOneFrame(audioSeconds, Ffmpeg.Duration(output), 25);
        AssertWithinOneFrame(audioSeconds, Ffmpeg.Duration(output, "a:0"), 25);
    }

    [Fact]
    public async Task Png_as_audio_is_NoAudioStream_and_wav_as_video_is_NoVideoStream()
    {
        var video = TestData.Require("video/vox_00086.mp4");
        var png = TestData.Require("image/eamm_7.png");
        var e = await Assert.ThrowsAsync<MediaException>(() => _tools.Editor.MuxAsync(new MuxRequest(video, png, _scratch.File("x.mp4"), LengthPolicy.Cut, OutputSettings.Default), ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.NoAudioStream, e.Kind);
        MediaProberTests.AssertUserMessage(e, "eamm_7.png");

        var wav = TestData.Require("audio/zh_poem.wav");
        e = await Assert.ThrowsAsync<MediaException>(() => _tools.Editor.MuxAsync(new MuxRequest(wav, wav, _scratch.File("y.mp4"), LengthPolicy.Cut, OutputSettings.Default), ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.NoVideoStream, e.Kind);

        e = await Assert.ThrowsAsync<MediaException>(() => _tools.Editor.MuxAsync(new MuxRequest(video, wav, _scratch.File("z.avi"), LengthPolicy.Cut, OutputSettings.Default), ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.Unsupported, e.Kind);
    }

    private string Audio(double seconds)
    {
        var path = _scratch.File(FormattableString.Invariant($"audio-{seconds}.wav"));
        if (!File.Exists(path))
        {
            // en_radio31 is 8 s; longer requests loop it.
            Ffmpeg.Run("-stream_loop", "2", "-i", TestData.Require("audio/en_radio31.wav"), "-t", FormattableString.Invariant($"{seconds}"), path);
        }

        return path;
    }

    private static void AssertWithinOneFrame(double expected, double actual, double fps) =>
        Assert.InRange(actual, expected - (1 / fps) - 1e-3, expected + (1 / fps) + 1e-3);

    /// <summary>The output's video packets are the input's, in order (cyclically for Loop), byte for byte.</summary>
    private static void AssertPacketsCopied(string input, string output)
    {
        var source = PacketHashes.Packets(input);
        var copied = PacketHashes.Packets(output);
        Assert.NotEmpty(copied);
        for (var i = 0; i < copied.Length; i++)
        {
            Assert.True(copied[i] == source[i % source.Length], $"packet {i} differs from the input's packet {i % source.Length}");
        }
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
