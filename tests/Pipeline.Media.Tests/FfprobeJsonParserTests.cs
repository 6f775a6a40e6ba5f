using Xunit;

namespace Pipeline.Media.Tests;

public sealed class FfprobeJsonParserTests
{
    [Fact]
    public void Variable_frame_rate_h264_with_audio()
    {
        var info = FfprobeJsonParser.Parse(Captured.Text("probe_retalk_1_vfr.json"), "retalk_1.mp4", 1);

        var video = Assert.IsType<VideoStreamInfo>(info.Video);
        Assert.Equal("h264", video.Codec);
        Assert.Equal((700, 700), (video.Width, video.Height));
        Assert.Equal(new Rational(30, 1), video.FrameRate);
        Assert.Equal(new Rational(1350, 61), video.AverageFrameRate);
        Assert.Equal(135, video.FrameCount);
        Assert.True(video.IsVariableFrameRate);
        Assert.Equal(new Rational(30, 1), video.ClockRate);
        Assert.Equal("aac", info.Audio?.Codec);
        Assert.Equal(44100, info.Audio?.SampleRate);
        Assert.Equal(2, info.Audio?.Channels);
        Assert.False(info.IsStillImage);
        Assert.Equal(662788, info.SizeBytes);
        Assert.InRange(info.DurationSeconds, 6.1, 6.2);

        // The summary describes what a decoder yields: VFR resampled onto 30 fps, so ~184 frames, not 135.
        var summary = info.ToSummary();
        Assert.Equal((30, 1), (summary.FrameRateNumerator, summary.FrameRateDenominator));
        Assert.Equal((long)Math.Round(video.DurationSeconds!.Value * 30), summary.FrameCount);
        Assert.True(summary.HasVideo && summary.HasAudio);
    }

    [Fact]
    public void Matroska_streams_take_their_length_from_the_duration_tag()
    {
        // vox_00086.mp4 copied into .mkv: Matroska gives its streams no duration and no frame count, only a tag.
        var info = FfprobeJsonParser.Parse(Captured.Text("probe_vox_00086_mkv.json"), "x.mkv", 1);

        Assert.Equal(5.264, info.Video!.DurationSeconds!.Value, 6);
        Assert.Equal(5.264, info.Audio!.DurationSeconds!.Value, 6);
        Assert.Null(info.Video.FrameCount);
        Assert.False(info.IsStillImage);
        Assert.Equal(132, info.ToSummary().FrameCount); // 5.264 s at 25 fps, not the single frame of an unknown length
    }

    [Fact]
    public void A_video_stream_of_unknown_length_lasts_as_long_as_its_file()
    {
        var text = Captured.Text("probe_vox_00086_mkv.json").Replace("\"DURATION\"", "\"X-DURATION\"", StringComparison.Ordinal);
        var info = FfprobeJsonParser.Parse(text, "x.mkv", 1);

        Assert.Equal(info.DurationSeconds, info.Video!.DurationSeconds);
        Assert.Equal(132, info.Video.ClockFrameCount);
        Assert.Equal(132, info.ToSummary().FrameCount);
    }

    [Fact]
    public void Video_without_audio()
    {
        var info = FfprobeJsonParser.Parse(Captured.Text("probe_emo_fear_noaudio.json"), "x.mp4", 1);
        Assert.NotNull(info.Video);
        Assert.Null(info.Audio);
        Assert.Equal(218, info.Video.FrameCount);
        Assert.Equal(218, info.ToSummary().FrameCount);
        Assert.False(info.ToSummary().HasAudio);
    }

    [Fact]
    public void Colour_tags_are_read_and_untagged_is_null()
    {
        var tagged = FfprobeJsonParser.Parse(Captured.Text("probe_emo_surprised_bt709.json"), "x.mp4", 1).Video!.Colour;
        Assert.Equal(new VideoColour("bt709", "tv", "bt709", "bt709"), tagged);
        Assert.Equal("bt709", tagged.SwscaleMatrix);

        var untagged = FfprobeJsonParser.Parse(Captured.Text("probe_emo_fear_noaudio.json"), "x.mp4", 1).Video!.Colour;
        Assert.Null(untagged.SwscaleMatrix);
        Assert.Null(untagged.Space);

        var jpeg = FfprobeJsonParser.Parse(Captured.Text("probe_lp_s1_jpg.json"), "s1.jpg", 1).Video!.Colour;
        Assert.Equal(("bt470bg", "pc", "bt601"), (jpeg.Space, jpeg.Range, jpeg.SwscaleMatrix));
    }

    [Fact]
    public void Png_is_a_still_image_with_one_frame()
    {
        var info = FfprobeJsonParser.Parse(Captured.Text("probe_sadtalker_happy_png.json"), "happy.png", 1);
        Assert.Equal("png_pipe", info.FormatName);
        Assert.True(info.IsStillImage);
        Assert.Equal((256, 256), (info.Video!.Width, info.Video.Height));
        Assert.Null(info.Audio);
        Assert.Equal(0, info.DurationSeconds);
        Assert.Equal(1, info.ToSummary().FrameCount);
    }

    [Fact]
    public void Jpeg_is_a_still_image()
    {
        var info = FfprobeJsonParser.Parse(Captured.Text("probe_lp_s1_jpg.json"), "s1.jpg", 1);
        Assert.True(info.IsStillImage);
        Assert.Equal("mjpeg", info.Video!.Codec);
        Assert.Equal(1145, info.Video.Width);
    }

    [Fact]
    public void Mp3_is_audio_only()
    {
        var info = FfprobeJsonParser.Parse(Captured.Text("probe_eamm_00015_mp3.json"), "a.mp3", 1);
        Assert.Null(info.Video);
        Assert.Equal("mp3", info.Audio!.Codec);
        Assert.Equal(44100, info.Audio.SampleRate);
        Assert.InRange(info.DurationSeconds, 7.0, 7.1);
    }

    [Fact]
    public void Cover_art_is_not_video()
    {
        var info = FfprobeJsonParser.Parse(Captured.Text("probe_mp3_cover_art.json"), "cover.mp3", 1);
        Assert.Single(info.VideoStreams);
        Assert.True(info.VideoStreams[0].IsAttachedPicture);
        Assert.Null(info.Video);
        Assert.False(info.IsStillImage);
        Assert.False(info.ToSummary().HasVideo);
    }

    [Fact]
    public void Mpeg4_part2_and_yuvj444p()
    {
        var mpeg4 = FfprobeJsonParser.Parse(Captured.Text("probe_hdtf_mpeg4.json"), "h.mp4", 1);
        Assert.Equal("mpeg4", mpeg4.Video!.Codec);
        Assert.Equal("Simple Profile", mpeg4.Video.Profile);

        var hd = FfprobeJsonParser.Parse(Captured.Text("probe_mead_1080p_yuvj444p.json"), "m.mp4", 1);
        Assert.Equal("yuvj444p", hd.Video!.PixelFormat);
        Assert.Equal((1920, 1080), (hd.Video.Width, hd.Video.Height));
        Assert.Equal(new Rational(1000000, 33333), hd.Video.FrameRate);
        Assert.Equal(48000, hd.Audio!.SampleRate);
    }

    [Fact]
    public void Rotation_swaps_the_display_size()
    {
        var info = FfprobeJsonParser.Parse(Captured.Text("probe_rotated90.json"), "r.mp4", 1);
        Assert.Equal(90, info.Video!.Rotation);
        Assert.Equal(info.Video.Height, info.Video.DisplayWidth);
    }

    [Fact]
    public void Wav_mono()
    {
        var info = FfprobeJsonParser.Parse(Captured.Text("probe_zh_poem_wav.json"), "p.wav", 1);
        Assert.Equal(24000, info.Audio!.SampleRate);
        Assert.Equal(1, info.Audio.Channels);
        Assert.Null(info.Video);
    }

    [Fact]
    public void Not_json_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => FfprobeJsonParser.Parse("this is not json", "x", 0));
    }

    [Theory]
    [InlineData("30000/1001", 30000, 1001)]
    [InlineData("25/1", 25, 1)]
    [InlineData("25", 25, 1)]
    [InlineData("0/0", 0, 0)]
    public void Rational_parses_ffmpeg_ratios(string text, int num, int den)
    {
        var r = Rational.Parse(text);
        Assert.Equal(new Rational(num, den), r);
        Assert.Equal(den == 0 ? 0 : (double)num / den, r.Value);
    }
}
