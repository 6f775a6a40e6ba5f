using Pipeline.Api.Orchestration;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Orchestration.Tests;

/// <summary>Which of the video's chunks a dub renders: the ones its output shows.</summary>
public sealed class RenderChunkPlanTests
{
    // 38 s at 25 fps: chunks start at 0, 10, 20 and 30 s.
    private static readonly IReadOnlyList<ChunkRange> Chunks =
        VideoChunks.Plan(new MediaSummary("mov,mp4", 38, true, true, 640, 480, "h264", 25, 1, 950));

    private static MediaSummary Speech(double seconds) => new("wav", seconds, false, true, AudioCodec: "pcm_s16le", SampleRate: 16000, Channels: 1);

    [Theory]
    [InlineData(LengthPolicy.Cut)]
    [InlineData(LengthPolicy.Loop)]
    [InlineData(LengthPolicy.Bounce)]
    [InlineData(LengthPolicy.Hold)]
    public void Chunks_after_the_speech_ends_are_not_rendered_when_the_output_ends_with_it(LengthPolicy policy)
    {
        var kept = StageCommands.WithinOutput(Chunks, Speech(12), policy);

        Assert.Equal([0, 1], kept.Select(c => c.Index));
        Assert.Equal(Chunks[0], kept[0]);
        // Chunk 1 (frames 250..499) keeps its number and start, so its track still matches, but ends with the speech.
        Assert.Equal(Chunks[1] with { FrameCount = 50, DurationSeconds = 2 }, kept[1]);
    }

    [Theory]
    [InlineData(8.0, 25, 200)] // exactly the speech's frames
    [InlineData(8.0, 30000.0 / 1001, 240)] // 239.76 frames: the last one starts before the speech ends
    [InlineData(0.01, 25, 1)] // a blip of speech still gets a picture
    public void The_last_chunk_ends_with_the_speech_s_frames(double speechSeconds, double fps, long frames)
    {
        var video = VideoChunks.Plan(new MediaSummary("mov,mp4", 38, true, true, 640, 480, "h264", (int)Math.Round(fps * 1001), 1001, (long)(38 * fps)));

        var kept = StageCommands.WithinOutput(video, Speech(speechSeconds), LengthPolicy.Loop);

        Assert.Equal(frames, kept.Sum(c => (long)c.FrameCount));
        Assert.Equal(video.Take(kept.Count).Select(c => c.StartFrame), kept.Select(c => c.StartFrame));
    }

    [Fact]
    public void Pad_renders_every_chunk_because_the_output_lasts_as_long_as_the_video()
    {
        Assert.Equal(Chunks, StageCommands.WithinOutput(Chunks, Speech(12), LengthPolicy.Pad));
    }

    [Theory]
    [InlineData(20.0, 2)] // the speech ends exactly where chunk 2 starts: it shows no frame of chunk 2
    [InlineData(20.03, 3)] // three quarters of a frame into chunk 2: the mux needs its first frame
    [InlineData(60, 4)] // speech longer than the video: every chunk
    [InlineData(0.01, 1)] // a blip of speech still gets a picture
    public void A_chunk_is_rendered_when_it_starts_before_the_speech_ends(double speechSeconds, int expected)
    {
        Assert.Equal(expected, StageCommands.WithinOutput(Chunks, Speech(speechSeconds), LengthPolicy.Cut).Count);
    }

    [Fact]
    public void Without_a_measured_speech_length_every_chunk_is_rendered()
    {
        Assert.Equal(Chunks, StageCommands.WithinOutput(Chunks, null, LengthPolicy.Cut));
        Assert.Equal(Chunks, StageCommands.WithinOutput(Chunks, Speech(0), LengthPolicy.Cut));
    }
}
