using Xunit;

namespace Pipeline.Media.Tests;

public sealed class FfmpegErrorClassifierTests
{
    [Theory]
    [InlineData("stderr_text_named_mp4.txt", MediaErrorKind.NotMedia)]
    [InlineData("stderr_empty_file.txt", MediaErrorKind.NotMedia)]
    [InlineData("stderr_truncated_moov.txt", MediaErrorKind.NotMedia)]
    [InlineData("stderr_missing_file.txt", MediaErrorKind.NotFound)]
    [InlineData("stderr_audio_only_as_video.txt", MediaErrorKind.NoVideoStream)]
    [InlineData("stderr_no_output_streams.txt", MediaErrorKind.NoVideoStream)]
    [InlineData("stderr_output_not_writable.txt", MediaErrorKind.OutputNotWritable)]
    public void Classifies_captured_failures(string file, MediaErrorKind expected)
    {
        Assert.Equal(expected, FfmpegErrorClassifier.Classify(Captured.Text(file)));
    }

    [Fact]
    public void Names_the_file_and_reason()
    {
        var error = FfmpegErrorClassifier.Explain(Captured.Text("stderr_missing_file.txt"));
        Assert.Equal("/tmp/tmp.PN33tQ41p3/missing.mp4", error.FilePath);
        Assert.Equal("No such file or directory", error.Reason);

        var output = FfmpegErrorClassifier.Explain(Captured.Text("stderr_output_not_writable.txt"));
        Assert.Equal("/proc/nope/x.wav", output.FilePath);
    }

    [Theory]
    [InlineData("Unknown encoder 'libfoo'", MediaErrorKind.Unsupported)]
    [InlineData("[mp4 @ 0x1] Could not find tag for codec pcm_s16le in stream #1, codec not currently supported in container", MediaErrorKind.Unsupported)]
    [InlineData("av_interleaved_write_frame(): No space left on device", MediaErrorKind.OutputNotWritable)]
    [InlineData("Input #0, wav, from 'a.wav':\n/out/x.mp4: Permission denied", MediaErrorKind.OutputNotWritable)]
    [InlineData("/in/x.mp4: Permission denied", MediaErrorKind.NotFound)]
    [InlineData("Stream map '0:a:0' matches no streams.", MediaErrorKind.NoAudioStream)]
    [InlineData("something odd happened\nConversion failed!", MediaErrorKind.ProcessFailed)]
    [InlineData("", MediaErrorKind.ProcessFailed)]
    public void Classifies_known_messages(string stderr, MediaErrorKind expected)
    {
        Assert.Equal(expected, FfmpegErrorClassifier.Classify(stderr));
    }

    [Fact]
    public void Unknown_failures_keep_ffmpeg_own_last_line()
    {
        Assert.Equal("something odd happened", FfmpegErrorClassifier.Explain("something odd happened\nConversion failed!").Reason);
    }
}
