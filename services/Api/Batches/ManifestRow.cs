namespace Pipeline.Api.Batches;

/// <summary>
/// One row of a manifest as text fields (CSV cells, or a JSON object's members), numbered from 1 in the order given
/// (a CSV's header is not a row). <see cref="Problems"/> holds what was wrong before any field was read.
/// </summary>
public sealed record ManifestRow(int Number, IReadOnlyDictionary<string, string> Fields, IReadOnlyList<RowError> Problems);

/// <param name="Column">The column or field at fault; empty when the row as a whole is.</param>
public sealed record RowError(int Row, string Column, string Reason);

/// <summary>One row's outcome: its job, or its errors.</summary>
public sealed record RowReport(int Row, string? Ref, Guid? JobId, IReadOnlyList<RowError>? Errors);

/// <summary>A manifest as read from a request: its rows and the batch settings that came with it.</summary>
public sealed record Manifest(string? Name, string? WebhookUrl, IReadOnlyList<ManifestRow> Rows);
