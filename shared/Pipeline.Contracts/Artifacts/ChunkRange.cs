namespace Pipeline.Contracts.Artifacts;

/// <summary>A time range of the target video, in frames of its own clock: [StartFrame, StartFrame + FrameCount).</summary>
public sealed record ChunkRange(int Index, long StartFrame, int FrameCount, double StartSeconds, double DurationSeconds);
