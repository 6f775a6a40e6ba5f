using System.Text.Json;
using Pipeline.Api.Persistence;

namespace Pipeline.Api.Http;

/// <summary>A job as the API shows it: state, progress, output, error, and every stage run with its timings.</summary>
public sealed record JobView(
    Guid Id,
    string Tenant,
    string Mode,
    string Status,
    double Progress,
    string? CurrentStage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    string? OutputKey,
    long? OutputSizeBytes,
    string? Error,
    string? ErrorKind,
    string? FailedStage,
    IReadOnlyList<StageRunView> Stages)
{
    public static JobView Of(JobRecord job) => new(
        job.Id,
        job.TenantId,
        job.Mode.ToString(),
        job.Status.ToString(),
        Math.Round(job.Progress, 4),
        job.CurrentStage,
        job.CreatedAt,
        job.UpdatedAt,
        job.FinishedAt,
        job.OutputKey,
        job.OutputSizeBytes,
        job.Error,
        job.ErrorKind,
        job.FailedStage,
        job.Stages.OrderBy(s => s.DispatchedAt ?? DateTimeOffset.MaxValue).ThenBy(s => s.Node, StringComparer.Ordinal).Select(StageRunView.Of).ToList());
}

/// <param name="Result">The stage's completion event as stored: the artifacts it wrote and what it measured.</param>
public sealed record StageRunView(
    string Node,
    string Stage,
    int? ChunkIndex,
    string? Variant,
    string DependsOn,
    double Weight,
    string Status,
    int Attempts,
    string? Worker,
    DateTimeOffset? DispatchedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? WorkSeconds,
    bool CacheHit,
    double Progress,
    JsonElement? Result,
    string? Error)
{
    public static StageRunView Of(StageRunRecord run) => new(
        run.Node,
        run.Stage.ToString(),
        run.ChunkIndex,
        run.Variant,
        run.DependsOn,
        run.Weight,
        run.Status.ToString(),
        run.Attempts,
        run.Worker,
        run.DispatchedAt,
        run.StartedAt,
        run.FinishedAt,
        run.WorkSeconds,
        run.CacheHit,
        Math.Round(run.Progress, 4),
        run.ResultJson is null ? null : JsonDocument.Parse(run.ResultJson).RootElement.Clone(),
        run.Error);
}

/// <summary>Where an uploaded input lives: the reference a job spec names it by.</summary>
public sealed record InputView(string Key, long SizeBytes, bool AlreadyStored);

public sealed record JobCreated(Guid Id, string Url);

public sealed record ApiError(string Error);
