using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Media.Tests;

public sealed class DecodedAudioFileTests
{
    private readonly MediaTools _tools = new();

    [Theory]
    [InlineData("audio/eamm_00015.mp3")]
    [InlineData("video/retalk_2.mp4")]
    public async Task Reads_back_exactly_what_the_streaming_reader_gives_and_deletes_its_file(string file)
    {
        var ct = TestContext.Current.CancellationToken;
        var path = TestData.Require(file);
        var streamed = new List<float>();
        await using (var reader = await AudioSampleReader.OpenAsync(_tools.Prober, _tools.Runner, path, 16000, 1, ct))
        {
            var block = new float[4096];
            int n;
            while ((n = await reader.ReadAsync(block, ct)) > 0)
            {
                streamed.AddRange(block.AsSpan(0, n));
            }
        }

        var scratch = Path.Combine(Path.GetTempPath(), $"decoded-{Guid.NewGuid():N}.f32");
        var decoded = await DecodedAudioFile.DecodeAsync(_tools.Prober, _tools.Runner, path, 16000, scratch, ct);
        await using (decoded)
        {
            Assert.Equal(streamed.Count, decoded.Samples);
            Assert.Equal(16000, decoded.SampleRate);

            // Two readers, each with its own position, in uneven pieces.
            foreach (var piece in (int[])[1000, 12345])
            {
                var source = decoded.OpenReader();
                Assert.Equal(1, source.Channels);
                var read = new List<float>();
                var buffer = new float[piece];
                int n;
                while ((n = await source.ReadAsync(buffer, ct)) > 0)
                {
                    read.AddRange(buffer.AsSpan(0, n));
                }

                Assert.Equal(streamed, read);
            }
        }

        Assert.False(File.Exists(scratch));
    }

    [Fact]
    public async Task A_file_without_audio_is_refused_and_leaves_no_scratch_file()
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"decoded-{Guid.NewGuid():N}.f32");
        var e = await Assert.ThrowsAsync<MediaException>(() =>
            DecodedAudioFile.DecodeAsync(_tools.Prober, _tools.Runner, TestData.Require("image/eamm_7.png"), 16000, scratch, TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.NoAudioStream, e.Kind);
        Assert.False(File.Exists(scratch));
    }
}
