namespace Pipeline.Api.Batches;

/// <summary>What creating a batch answers: the batch, and each row's job or errors.</summary>
/// <param name="WebhookSecret">The one-off webhookUrl's signing secret, shown only here.</param>
public sealed record BatchCreated(
    Guid Id, string Name, string Url, int Submitted, int Rejected, IReadOnlyList<RowReport> Rows, string? WebhookSecret, PairingReport? Pairing = null);

/// <summary>A manifest where no row can run: nothing was created.</summary>
public sealed record BatchRejected(string Error, IReadOnlyList<RowReport> Rows, PairingReport? Pairing = null);

/// <summary>Counts by status, derived from the jobs; <see cref="Queued"/> includes jobs the orchestrator has not filed yet.</summary>
public sealed record BatchCounts(int Total, int Queued, int Running, int Succeeded, int Failed, int Cancelled);

public sealed record BatchSummary(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, BatchCounts Counts, double Progress, int RejectedRows);

public sealed record BatchFailure(Guid JobId, string? Ref, string? Stage, string? Error, string? ErrorKind);

/// <param name="Rows">The row report made when the batch was created: each row's job id, or its errors.</param>
public sealed record BatchDetail(
    Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, BatchCounts Counts, double Progress,
    IReadOnlyList<BatchFailure> Failures, IReadOnlyList<RowReport> RejectedRows, IReadOnlyList<RowReport> Rows);

/// <summary>What a pairing rule found: the files on either side that had no partner.</summary>
public sealed record PairingReport(int Pairs, IReadOnlyList<string> UnpairedVideos, IReadOnlyList<string> UnpairedAudio);

/// <param name="Options">Option columns applied to every pair, as in a manifest row: emotion, face, lengthPolicy, ...</param>
public sealed record PairingRequest(
    string? Name, string? VideoPrefix, string? AudioPrefix, string? Match, System.Text.Json.JsonElement? Options, string? WebhookUrl);
