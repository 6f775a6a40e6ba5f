using Pipeline.Contracts.Artifacts;

namespace Pipeline.Api.Orchestration;

/// <summary>
/// Splits a video into the time ranges that chunked stages (face tracking, rendering) work on in parallel: whole
/// frames of the video's own clock, each chunk about <see cref="DefaultSeconds"/> long, the last one shorter.
/// </summary>
public static class VideoChunks
{
    /// <summary>Long enough that per-chunk start-up (decoder seek, first detection) is noise; short enough to spread.</summary>
    public const double DefaultSeconds = 10;

    public static IReadOnlyList<ChunkRange> Plan(MediaSummary video, double chunkSeconds = DefaultSeconds)
    {
        ArgumentNullException.ThrowIfNull(video);
        var fps = video.FramesPerSecond > 0 ? video.FramesPerSecond : 25;
        var frames = video.FrameCount > 0 ? video.FrameCount : (long)Math.Round(video.DurationSeconds * fps);
        var perChunk = Math.Max(1, (long)Math.Round(chunkSeconds * fps));
        var chunks = new List<ChunkRange>();
        for (long start = 0; start < frames; start += perChunk)
        {
            var count = (int)Math.Min(perChunk, frames - start);
            chunks.Add(new ChunkRange(chunks.Count, start, count, start / fps, count / fps));
        }

        return chunks;
    }
}
