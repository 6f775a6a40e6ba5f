using System.Text.Json;
using MassTransit;
using Pipeline.Api.Http;
using Pipeline.Api.Persistence;
using Pipeline.Api.Webhooks;
using Pipeline.Storage;

namespace Pipeline.Api.Batches;

/// <summary>
/// Submits a manifest's rows as one batch: every row is checked (by <see cref="RowSpecs"/>, which ends in the same
/// checks as POST /v1/jobs), the valid ones run, the others are reported with their errors. The batch row, with its
/// row report, is saved before any job is sent, so the jobs can reference it.
/// </summary>
public static class BatchSubmission
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IResult> SubmitAsync(
        Manifest manifest, string tenant, JobDbContext db, IObjectStore store, ISendEndpointProvider send, TimeProvider clock,
        PairingReport? pairing, CancellationToken ct)
    {
        if (manifest.WebhookUrl is { } url && WebhooksUrlProblem(url) is { } urlProblem)
        {
            return Results.BadRequest(new ApiError($"webhookUrl: {urlProblem}"));
        }

        var reports = new List<RowReport>();
        var valid = new List<(Guid Id, Contracts.Jobs.JobSpec Spec)>();
        foreach (var row in manifest.Rows)
        {
            var (spec, errors) = await RowSpecs.BuildAsync(row, tenant, store, ct);
            if (spec is null)
            {
                reports.Add(new RowReport(row.Number, RowSpecs.RefOf(row), null, errors));
                continue;
            }

            var id = NewId.NextGuid();
            valid.Add((id, spec));
            reports.Add(new RowReport(row.Number, RowSpecs.RefOf(row), id, null));
        }

        if (valid.Count == 0)
        {
            return Results.BadRequest(new BatchRejected("no row of the manifest can run; see each row's errors", reports, pairing));
        }

        var now = clock.GetUtcNow();
        await TenantRows.EnsureAsync(db, tenant, now, ct);
        var name = string.IsNullOrWhiteSpace(manifest.Name) ? $"batch {now:yyyy-MM-dd HH:mm:ss}" : manifest.Name.Trim();
        var batch = new BatchRecord
        {
            TenantId = tenant,
            Name = name.Length > 256 ? name[..256] : name,
            CreatedAt = now,
            JobCount = valid.Count,
            RowsJson = JsonSerializer.Serialize(reports, Json),
        };
        db.Batches.Add(batch);
        string? secret = null;
        if (manifest.WebhookUrl is { } webhookUrl)
        {
            secret = (await WebhookEndpoints.AddAsync(db, tenant, webhookUrl, WebhookEvents.All, batch.Id, now, ct)).Secret;
        }

        await db.SaveChangesAsync(ct);
        foreach (var (id, spec) in valid)
        {
            await JobSubmission.SendAsync(send, id, tenant, spec, batch.Id, ct);
        }

        var created = new BatchCreated(batch.Id, batch.Name, $"/v1/batches/{batch.Id}", valid.Count, reports.Count - valid.Count, reports, secret, pairing);
        return Results.Created(created.Url, created);
    }

    private static string? WebhooksUrlProblem(string url) => WebhookEndpoints.UrlProblem(url);
}
