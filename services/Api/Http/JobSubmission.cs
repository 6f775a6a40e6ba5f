using MassTransit;
using Pipeline.Api.Orchestration;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Storage;

namespace Pipeline.Api.Http;

/// <summary>
/// The one way the API submits a job, for a single POST /v1/jobs and for every row of a batch: the planner's checks,
/// then every input must be stored where this tenant may read it, then SubmitJob to the orchestrator.
/// </summary>
public static class JobSubmission
{
    /// <summary>
    /// A tenant's own area of the object store: manifests and pairing rules name files relative to it. Uploaded
    /// inputs live under <c>inputs/{tenant}/</c> (<see cref="Auth.TenantInputs"/>); a job may name only these two.
    /// </summary>
    public static string TenantPrefix(string tenant) => $"tenants/{tenant}/";

    /// <summary>Why the spec cannot run, as (field, reason), or null when it can.</summary>
    public static async Task<(string Field, string Reason)?> CheckAsync(JobSpec spec, string tenant, IObjectStore store, CancellationToken ct)
    {
        try
        {
            JobPlanner.Plan(spec);
        }
        catch (JobRejectedException e)
        {
            return ("spec", e.Message);
        }

        foreach (var (field, input) in Named(spec.Inputs))
        {
            if (!Readable(input.Key, tenant) || await TryStatAsync(store, input.Key, ct) is null)
            {
                return ($"inputs.{field}", $"'{input.Key}' is not an uploaded input; upload it with PUT /v1/inputs/{{sha256}}/{{name}} first and use the key it returns");
            }
        }

        if (spec.Options.Backend.ModelManifestKey is { } manifest && (!Readable(manifest, tenant) || await TryStatAsync(store, manifest, ct) is null))
        {
            return ("options.backend.modelManifestKey", $"'{manifest}' is not stored");
        }

        return null;
    }

    public static async Task SendAsync(ISendEndpointProvider send, Guid id, string tenant, JobSpec spec, Guid? batchId, CancellationToken ct)
    {
        var endpoint = await send.GetSendEndpoint(new Uri($"queue:{ServiceDefaults.StageEndpoints.SubmitJob}"));
        await endpoint.Send(new SubmitJob(id, tenant, spec, batchId), ct);
    }

    public static async Task<ObjectInfo?> TryStatAsync(IObjectStore store, string key, CancellationToken ct)
    {
        try
        {
            return await store.StatAsync(key, ct);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool Readable(string key, string tenant) =>
        Auth.TenantInputs.Owns(tenant, key) || key.StartsWith(TenantPrefix(tenant), StringComparison.Ordinal);

    private static IEnumerable<(string Field, ArtifactRef Input)> Named(JobInputs inputs)
    {
        if (inputs.Video is { } video)
        {
            yield return ("video", video);
        }

        if (inputs.Image is { } image)
        {
            yield return ("image", image);
        }

        if (inputs.Audio is { } audio)
        {
            yield return ("audio", audio);
        }
    }
}
