using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Pipeline.Api.Batches;

/// <summary>
/// Reads a manifest from a request: CSV (text/csv), JSON (application/json: <c>{ name, webhookUrl, rows: [...] }</c>
/// or a bare array of rows), or multipart/form-data with a <c>manifest</c> file part (CSV or JSON by its content type
/// or extension) and optional <c>name</c> and <c>webhookUrl</c> fields. A CSV gets its name and webhook URL from the
/// query string.
/// </summary>
public static class ManifestReader
{
    public const int MaxRows = 10_000;

    public const long MaxBytes = 16L << 20;

    /// <summary>The manifest, or why it cannot be read at all (a problem no single row is to blame for).</summary>
    public static async Task<(Manifest? Manifest, string? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var name = request.Query["name"].FirstOrDefault();
        var webhookUrl = request.Query["webhookUrl"].FirstOrDefault();
        var type = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value ?? string.Empty : string.Empty;
        if (type.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.GetFile("manifest") is not { } file)
            {
                return (null, "multipart manifests need a file part named 'manifest'");
            }

            if (file.Length > MaxBytes)
            {
                return (null, $"the manifest is {file.Length} bytes; the limit is {MaxBytes}");
            }

            name = form["name"].FirstOrDefault() ?? name ?? Path.GetFileNameWithoutExtension(file.FileName);
            webhookUrl = form["webhookUrl"].FirstOrDefault() ?? webhookUrl;
            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
            var text = await reader.ReadToEndAsync(ct);
            var json = (file.ContentType ?? string.Empty).Contains("json", StringComparison.OrdinalIgnoreCase)
                || file.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
            return json ? FromJson(text, name, webhookUrl) : FromCsv(text, name, webhookUrl);
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, $"the manifest is {request.ContentLength} bytes; the limit is {MaxBytes}");
        }

        using var body = new StreamReader(request.Body, Encoding.UTF8);
        var content = await body.ReadToEndAsync(ct);
        if (type.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return FromCsv(content, name, webhookUrl);
        }

        if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return FromJson(content, name, webhookUrl);
        }

        return (null, $"send the manifest as text/csv, application/json or multipart/form-data, not '{request.ContentType}'");
    }

    public static (Manifest? Manifest, string? Problem) FromCsv(string text, string? name, string? webhookUrl)
    {
        List<(int Line, string[] Fields)> records;
        try
        {
            records = CsvReader.Read(text);
        }
        catch (FormatException e)
        {
            return (null, $"the CSV cannot be read: {e.Message}");
        }

        if (records.Count < 2)
        {
            return (null, "the CSV needs a header line and at least one row");
        }

        var header = records[0].Fields;
        if (header.FirstOrDefault(h => h.Length == 0) is not null)
        {
            return (null, "the CSV header has an empty column name");
        }

        var rows = new List<ManifestRow>();
        foreach (var (line, fields) in records.Skip(1).Take(MaxRows + 1))
        {
            var number = rows.Count + 1;
            var problems = new List<RowError>();
            if (fields.Length != header.Length)
            {
                problems.Add(new RowError(number, string.Empty, $"line {line} has {fields.Length} fields; the header has {header.Length} (quote a value that holds a comma)"));
            }

            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var c = 0; c < Math.Min(fields.Length, header.Length); c++)
            {
                if (fields[c].Length > 0)
                {
                    values[header[c]] = fields[c];
                }
            }

            rows.Add(new ManifestRow(number, values, problems));
        }

        return rows.Count > MaxRows ? (null, $"a manifest holds at most {MaxRows} rows") : (new Manifest(name, webhookUrl, rows), null);
    }

    public static (Manifest? Manifest, string? Problem) FromJson(string text, string? name, string? webhookUrl)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (null, $"the JSON cannot be read: {e.Message}");
        }

        JsonElement items;
        if (root.ValueKind == JsonValueKind.Array)
        {
            items = root;
        }
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("rows", out var rowsElement) && rowsElement.ValueKind == JsonValueKind.Array)
        {
            items = rowsElement;
            name = Text(root, "name") ?? name;
            webhookUrl = Text(root, "webhookUrl") ?? webhookUrl;
        }
        else
        {
            return (null, "a JSON manifest is an array of rows or an object { name, rows: [...] }");
        }

        if (items.GetArrayLength() > MaxRows)
        {
            return (null, $"a manifest holds at most {MaxRows} rows");
        }

        var rows = new List<ManifestRow>();
        foreach (var item in items.EnumerateArray())
        {
            var number = rows.Count + 1;
            var (fields, problems) = Flatten(item, number);
            rows.Add(new ManifestRow(number, fields, problems));
        }

        return rows.Count == 0 ? (null, "the manifest has no rows") : (new Manifest(name, webhookUrl, rows), null);
    }

    /// <summary>A JSON object's members as text fields (strings as they are, numbers and booleans as written).</summary>
    public static (Dictionary<string, string> Fields, List<RowError> Problems) Flatten(JsonElement item, int number)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<RowError>();
        if (item.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new RowError(number, string.Empty, $"a row must be an object, not {item.ValueKind.ToString().ToLowerInvariant()}"));
            return (fields, problems);
        }

        foreach (var property in item.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    fields[property.Name] = property.Value.GetString()!.Trim();
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    fields[property.Name] = property.Value.GetRawText();
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    problems.Add(new RowError(number, property.Name, "must be a string, number or boolean"));
                    break;
            }
        }

        return (fields, problems);
    }

    private static string? Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
