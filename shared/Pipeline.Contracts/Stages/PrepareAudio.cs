using Pipeline.Contracts.Artifacts;

namespace Pipeline.Contracts.Stages;

/// <summary>Decode the new speech track to the pipeline's normal form: 48 kHz stereo float PCM, exact duration known.</summary>
public sealed record PrepareAudio(Guid JobId, ArtifactRef Audio);

public sealed record AudioPrepared(Guid JobId, ArtifactRef Pcm, double DurationSeconds, double PeakDbfs, StageReport Report);
