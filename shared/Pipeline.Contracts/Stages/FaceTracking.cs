using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Contracts.Stages;

/// <summary>Detect and track the selected face over one chunk of the target video.</summary>
public sealed record TrackFaces(Guid JobId, ArtifactRef Video, ChunkRange Chunk, FaceSelection Face);

public sealed record FacesTracked(Guid JobId, int ChunkIndex, ArtifactRef Track, long FaceFrames, StageReport Report);
