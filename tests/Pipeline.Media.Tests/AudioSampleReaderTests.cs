using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Media.Tests;

public sealed class AudioSampleReaderTests
{
    private readonly MediaTools _tools = new();

    [Theory]
    [InlineData("audio/zh_poem.wav", 16000, 1)]
    [InlineData("audio/eamm_00015.mp3", 16000, 1)]
    [InlineData("video/retalk_2.mp4", 22050, 2)]
    public async Task Sample_count_matches_duration(string file, int rate, int channels)
    {
        var ct = TestContext.Current.CancellationToken;
        var path = TestData.Require(file);
        var expectedSeconds = Ffmpeg.Duration(path, "a:0");
        await using var reader = await AudioSampleReader.OpenAsync(_tools.Prober, _tools.Runner, path, rate, channels, ct);
        Assert.Equal(rate, reader.SampleRate);

        var buffer = new float[4097]; // not a multiple of the channel count on purpose
        long floats = 0;
        var peak = 0f;
        int n;
        while ((n = await reader.ReadAsync(buffer, ct)) > 0)
        {
            Assert.Equal(0, n % channels);
            floats += n;
            peak = Math.Max(peak, buffer.AsSpan(0, n).ToArray().Max(MathF.Abs));
        }

        var samples = floats / channels;
        Assert.Equal(samples, reader.SamplesRead);
        Assert.InRange(samples, (expectedSeconds - 0.05) * rate, (expectedSeconds + 0.05) * rate);
        Assert.InRange(peak, 0.01f, 1.5f);
    }

    [Fact]
    public async Task Png_has_no_audio_stream()
    {
        var e = await Assert.ThrowsAsync<MediaException>(() => AudioSampleReader.OpenAsync(_tools.Prober, _tools.Runner, TestData.Require("image/eamm_7.png"), 16000, 1, ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.NoAudioStream, e.Kind);
    }
}
