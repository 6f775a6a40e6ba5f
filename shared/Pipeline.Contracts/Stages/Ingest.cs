using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Contracts.Stages;

/// <summary>Probe and validate a job's inputs against what its mode needs.</summary>
public sealed record IngestMedia(Guid JobId, JobMode Mode, JobInputs Inputs);

/// <summary>The inputs are readable and fit the mode. Absent inputs have null summaries.</summary>
public sealed record MediaIngested(
    Guid JobId,
    MediaSummary? Video,
    MediaSummary? Image,
    MediaSummary? Audio,
    StageReport Report);
