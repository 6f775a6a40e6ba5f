using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Contracts.Stages;

/// <summary>
/// Extend the target video to the new speech's length under the job's length policy (<see cref="LengthPolicy.Loop"/>,
/// <see cref="LengthPolicy.Bounce"/> or <see cref="LengthPolicy.Hold"/>), before any face is tracked, so tracking,
/// motion and rendering cover every frame the output shows and the lips follow the speech to its end.
/// </summary>
public sealed record PrepareVideo(Guid JobId, ArtifactRef Video, ArtifactRef Audio, LengthPolicy Policy, OutputSettings Output);

/// <summary>The extended video (as long as the speech) and its probe summary.</summary>
public sealed record VideoPrepared(Guid JobId, ArtifactRef Video, MediaSummary Summary, StageReport Report);
