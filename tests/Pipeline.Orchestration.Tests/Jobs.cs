using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Orchestration.Tests;

/// <summary>Job requests for tests; the artifact keys need not exist for orchestration-only tests.</summary>
public static class Jobs
{
    public static JobSpec Dub(LengthPolicy policy = LengthPolicy.Cut) => new(
        JobMode.Dub,
        new JobInputs(Video: new ArtifactRef("inputs/aa/video.mp4", 10), Audio: new ArtifactRef("inputs/bb/audio.wav", 10)),
        JobOptions.Default with { LengthPolicy = policy },
        "output.mp4");

    public static JobSpec Animate(string backend = "auto", string style = "neutral") => new(
        JobMode.Animate,
        new JobInputs(Image: new ArtifactRef("inputs/cc/photo.png", 10), Audio: new ArtifactRef("inputs/bb/audio.wav", 10)),
        JobOptions.Default with { Backend = new BackendSpec(backend), HeadMotion = new HeadMotion(style, 7) },
        "output.mp4");
}
