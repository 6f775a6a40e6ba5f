using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Commands;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Render.Onnx;
using Pipeline.Storage;

namespace Pipeline.Cli.Embedded;

/// <summary>The job runs in this process: the embedded runtime, its local store and SQLite job store.</summary>
public sealed class EmbeddedJobHost(EmbeddedRuntime runtime) : IJobHost
{
    private IObjectStore Store => runtime.Services.GetRequiredService<IObjectStore>();

    public static async Task<EmbeddedJobHost> StartAsync(bool verbose, CancellationToken ct) =>
        new(await EmbeddedRuntime.StartAsync(verbose, ct));

    public Task<ArtifactRef> ImportAsync(string path, string option, CancellationToken ct) =>
        new InputImporter(Store).ImportAsync(path, option, ct);

    public async Task<string> ImportModelAsync(string manifestPath, CancellationToken ct)
    {
        try
        {
            return await StoredModels.ImportAsync(Store, manifestPath, ct);
        }
        catch (ModelManifestException e)
        {
            throw new CliException($"--model: {e.Message}");
        }
    }

    public Task<JobOutcome> RunAsync(JobSpec spec, IProgressView view, CancellationToken ct) =>
        new EmbeddedJobRunner(runtime).RunAsync(spec, view, ct);

    public Task<Stream> OpenArtifactAsync(Guid jobId, string key, CancellationToken ct) => Store.OpenReadAsync(key, ct);

    public ValueTask DisposeAsync() => runtime.DisposeAsync();
}
