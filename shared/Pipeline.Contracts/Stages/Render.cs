using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Contracts.Stages;

/// <summary>
/// Build the exemplar backend's bank from the target's own frames: the lower faces whose mouth shapes span what the
/// speaker does, chosen from the face <paramref name="Tracks"/> (in chunk order) within the first
/// <paramref name="MaxSeconds"/> of the video.
/// </summary>
public sealed record BuildExemplarBank(Guid JobId, ArtifactRef Video, IReadOnlyList<ArtifactRef> Tracks, double MaxSeconds);

/// <summary><paramref name="Bank"/> is bank.json, with crops.rgb beside it.</summary>
public sealed record ExemplarBankBuilt(Guid JobId, ArtifactRef Bank, int Exemplars, StageReport Report);

/// <summary>
/// Render one chunk: only the lower face changes, every other pixel is the original. <paramref name="Track"/> is the
/// chunk's face track, <paramref name="Motion"/> the whole video's predicted landmarks; <paramref name="Bank"/> is
/// needed by the exemplar backend only. <paramref name="Backend"/> names a concrete backend ("exemplar", "warp",
/// "onnx"; onnx with its stored manifest's key). <paramref name="Features"/> is the new speech's features.json, needed
/// by the onnx backend only (it reads the wav2lip_mel beside it).
/// With <paramref name="StillImageFps"/> above 0 (animate mode), <paramref name="Video"/> is a photo and
/// <paramref name="Track"/> its one-frame track: every frame of the chunk is drawn from that photo, on that clock.
/// </summary>
public sealed record RenderChunk(
    Guid JobId,
    ChunkRange Chunk,
    ArtifactRef Video,
    ArtifactRef Motion,
    ArtifactRef Track,
    BackendSpec Backend,
    OutputSettings Output,
    ArtifactRef? Bank = null,
    ArtifactRef? Features = null,
    int StillImageFps = 0);

/// <summary><paramref name="FacesDrawn"/> counts the frames whose lower face was redrawn; the rest passed through.</summary>
public sealed record ChunkRendered(Guid JobId, int ChunkIndex, ArtifactRef Chunk, long Frames, long FacesDrawn, StageReport Report);
