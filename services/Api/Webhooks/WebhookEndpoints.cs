using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Http;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Persistence;

namespace Pipeline.Api.Webhooks;

/// <summary>A tenant's webhook endpoints: register (the signing secret is shown once, in the answer), list, delete.</summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder v1)
    {
        var webhooks = v1.MapGroup("/webhooks");
        webhooks.MapPost("/", CreateAsync);
        webhooks.MapGet("/", ListAsync);
        webhooks.MapDelete("/{id:guid}", DeleteAsync);
        return v1;
    }

    /// <summary>A webhook URL must be absolute http(s); null when it is, else the reason.</summary>
    public static string? UrlProblem(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && url!.Length <= 2048
            ? null
            : $"'{url}' is not an absolute http or https URL";

    /// <summary>Registers an endpoint for the tenant (or, with a batch, for that batch only); the caller saves.</summary>
    public static async Task<WebhookEndpointRecord> AddAsync(
        JobDbContext db, string tenant, string url, IEnumerable<string> events, Guid? batchId, DateTimeOffset now, CancellationToken ct)
    {
        await TenantRows.EnsureAsync(db, tenant, now, ct);
        var endpoint = new WebhookEndpointRecord
        {
            TenantId = tenant,
            Url = url,
            Events = string.Join(' ', events.Distinct(StringComparer.Ordinal)),
            Secret = WebhookSignature.NewSecret(),
            BatchId = batchId,
            CreatedAt = now,
        };
        db.WebhookEndpoints.Add(endpoint);
        return endpoint;
    }

    private static async Task<IResult> CreateAsync(WebhookRequest request, HttpContext http, JobDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (UrlProblem(request.Url) is { } problem)
        {
            return Results.BadRequest(new ApiError($"url: {problem}"));
        }

        var events = request.Events is { Count: > 0 } asked ? asked : WebhookEvents.All;
        if (events.FirstOrDefault(e => !WebhookEvents.All.Contains(e)) is { } unknown)
        {
            return Results.BadRequest(new ApiError($"events: '{unknown}' is not one of {string.Join(", ", WebhookEvents.All)}"));
        }

        var endpoint = await AddAsync(db, http.TenantId(), request.Url!, events, null, clock.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        return Results.Created($"/v1/webhooks/{endpoint.Id}", new WebhookCreated(endpoint.Id, endpoint.Url, Split(endpoint.Events), endpoint.Secret, endpoint.CreatedAt));
    }

    private static async Task<IResult> ListAsync(HttpContext http, JobDbContext db, CancellationToken ct)
    {
        var tenant = http.TenantId();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.TenantId == tenant && e.BatchId == null).ToListAsync(ct);
        var ids = endpoints.Select(e => e.Id).ToList();
        var stats = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.TenantId == tenant && ids.Contains(d.EndpointId))
            .GroupBy(d => new { d.EndpointId, d.Status })
            .Select(g => new { g.Key.EndpointId, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        int Count(Guid id, WebhookDeliveryStatus status) => stats.Where(s => s.EndpointId == id && s.Status == status).Sum(s => s.Count);
        return Results.Ok(endpoints.OrderBy(e => e.Url, StringComparer.Ordinal).Select(e => new WebhookView(
            e.Id, e.Url, Split(e.Events), e.CreatedAt,
            Count(e.Id, WebhookDeliveryStatus.Pending), Count(e.Id, WebhookDeliveryStatus.Delivered), Count(e.Id, WebhookDeliveryStatus.Failed))).ToList());
    }

    private static async Task<IResult> DeleteAsync(Guid id, HttpContext http, JobDbContext db, CancellationToken ct)
    {
        var tenant = http.TenantId();
        var deleted = await db.WebhookEndpoints.Where(e => e.Id == id && e.TenantId == tenant).ExecuteDeleteAsync(ct);
        return deleted == 0 ? Results.NotFound(new ApiError($"no webhook {id}")) : Results.NoContent();
    }

    private static IReadOnlyList<string> Split(string events) => events.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <param name="Events">Any of job.succeeded, job.failed, batch.completed; all three when absent.</param>
public sealed record WebhookRequest(string? Url, IReadOnlyList<string>? Events);

/// <param name="Secret">Shown only here: sign-checking on the receiver's side needs it (see the README).</param>
public sealed record WebhookCreated(Guid Id, string Url, IReadOnlyList<string> Events, string Secret, DateTimeOffset CreatedAt);

public sealed record WebhookView(Guid Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, int Pending, int Delivered, int Failed);
