using Pipeline.Cli.Embedded;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Where a job runs: every stage in this process (embedded), or a distributed stack reached through its Api
/// (<c>--server URL</c>). Both take the same spec and give back the same outcome, so a command reads the same either way.
/// </summary>
public interface IJobHost : IAsyncDisposable
{
    /// <summary>Puts a user's file where the job's stages read it; <paramref name="option"/> names it in errors.</summary>
    Task<ArtifactRef> ImportAsync(string path, string option, CancellationToken ct);

    /// <summary>The onnx backend's manifest and model, stored for the render stage; returns the manifest's key.</summary>
    Task<string> ImportModelAsync(string manifestPath, CancellationToken ct);

    Task<JobOutcome> RunAsync(JobSpec spec, IProgressView view, CancellationToken ct);

    /// <summary>Reads an artifact the job wrote (its output, thumbnail, preview).</summary>
    Task<Stream> OpenArtifactAsync(Guid jobId, string key, CancellationToken ct);
}
