using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Pipeline.Api.Orchestration;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Storage;

namespace Pipeline.Api.Http.Uploads;

/// <summary>A job read from a form: its spec, or the response that refuses it.</summary>
public sealed record JobForm(JobSpec? Spec, IResult? Refusal);

/// <summary>
/// <c>POST /v1/jobs</c> as <c>multipart/form-data</c>: files <c>video</c> or <c>image</c> and <c>audio</c>, or a
/// <c>text</c> field, plus <c>mode</c>, <c>options</c> (JSON over the defaults) and <c>outputName</c>. Each file part
/// streams straight into the object store (never whole in memory), hashed on the way, and ends up under the same
/// content-addressed key <c>PUT /v1/inputs/{sha256}/{name}</c> would give it (under the tenant's prefix). A part over the size limit fails its
/// write before it commits, and whatever this request stored before it is removed again: a refused form stores nothing.
/// </summary>
public sealed class MultipartJobForm(IObjectStore store, string tenant, long maxFileBytes, ILogger logger)
{
    private const int MaxFieldChars = 64 * 1024;

    private static readonly string[] FileFields = ["video", "image", "audio"];

    private readonly List<string> _created = [];

    public async Task<JobForm> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Refuse(StatusCodes.Status415UnsupportedMediaType, "a form must be sent as multipart/form-data (with its files), or the job as JSON");
        }

        // Kestrel's default body limit (30 MB) is far below a video's; each file has its own limit below.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = null;
        }

        var files = new Dictionary<string, ArtifactRef>(StringComparer.Ordinal);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    return await RefuseAsync(StatusCodes.Status400BadRequest, "every part of the form needs a Content-Disposition: form-data header with a name");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                if (disposition.IsFileDisposition())
                {
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value is { Length: > 0 } star
                        ? star
                        : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? string.Empty;
                    if (fileName.Length == 0)
                    {
                        // A browser sends an empty part for a file input left empty.
                        await section.Body.CopyToAsync(Stream.Null, ct);
                        continue;
                    }

                    if (!FileFields.Contains(name))
                    {
                        return await RefuseAsync(StatusCodes.Status400BadRequest, $"file field '{name}' is not one of {string.Join(", ", FileFields)}");
                    }

                    if (files.ContainsKey(name))
                    {
                        return await RefuseAsync(StatusCodes.Status400BadRequest, $"the form has more than one '{name}' file");
                    }

                    files[name] = await StoreAsync(section.Body, fileName, section.ContentType, ct);
                }
                else if (await ReadFieldAsync(section.Body, ct) is { } value)
                {
                    fields[name] = value;
                }
                else
                {
                    return await RefuseAsync(StatusCodes.Status400BadRequest, $"field '{name}' is longer than {MaxFieldChars} characters");
                }
            }
        }
        catch (ContentTooLargeException e)
        {
            return await RefuseAsync(StatusCodes.Status413PayloadTooLarge, $"a file of the form is too large: {e.Message}");
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            return await RefuseAsync(StatusCodes.Status400BadRequest, $"the form could not be read: {e.Message}");
        }
        catch
        {
            await DeleteCreatedAsync();
            throw;
        }

        var spec = ToSpec(files, fields, out var problem);
        return spec is null ? await RefuseAsync(StatusCodes.Status400BadRequest, problem!) : new JobForm(spec, null);
    }

    /// <summary>Undoes this request's stores, for a form refused after its files were read (the planner said no).</summary>
    public Task DeleteCreatedAsync() => Task.WhenAll(_created.Select(key => store.DeleteAsync(key, CancellationToken.None)));

    private async Task<ArtifactRef> StoreAsync(Stream body, string fileName, string? contentType, CancellationToken ct)
    {
        // The content address is known only at the end, so the bytes stream under a temporary key first.
        var temp = $"uploads/{tenant}/{Guid.NewGuid():N}/{ObjectKey.SanitizeName(fileName)}";
        await using var hashing = new Sha256VerifyingStream(body, expectedSha256Hex: null, maxFileBytes);
        await store.PutAsync(temp, hashing, contentType, ct);
        try
        {
            var key = Auth.TenantInputs.Key(tenant, hashing.Sha256Hex, fileName);
            if (await store.StatAsync(key, ct) is { } existing)
            {
                return new ArtifactRef(existing.Key, existing.SizeBytes, contentType);
            }

            ObjectInfo info;
            await using (var stored = await store.OpenReadAsync(temp, ct))
            {
                info = await store.PutAsync(key, stored, contentType, ct);
            }

            _created.Add(key);
            logger.LogInformation("stored form input {Key} ({Bytes} bytes)", key, info.SizeBytes);
            return new ArtifactRef(info.Key, info.SizeBytes, contentType);
        }
        finally
        {
            await store.DeleteAsync(temp, CancellationToken.None);
        }
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var buffer = new char[MaxFieldChars + 1];
        var total = 0;
        int n;
        while (total < buffer.Length && (n = await reader.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += n;
        }

        return total > MaxFieldChars ? null : new string(buffer, 0, total);
    }

    private static JobSpec? ToSpec(Dictionary<string, ArtifactRef> files, Dictionary<string, string> fields, out string? problem)
    {
        problem = null;
        var text = fields.GetValueOrDefault("text") is { Length: > 0 } t && !string.IsNullOrWhiteSpace(t) ? t : null;
        JobMode mode;
        if (fields.GetValueOrDefault("mode") is { Length: > 0 } named)
        {
            if (!Enum.TryParse(named, ignoreCase: true, out mode) || !Enum.IsDefined(mode))
            {
                problem = $"mode '{named}' is not one of {string.Join(", ", Enum.GetNames<JobMode>()).ToLowerInvariant()}";
                return null;
            }
        }
        else
        {
            // Inferred: a photo is animated, a video dubbed; text without audio has to be spoken first.
            mode = files.ContainsKey("audio") || text is null
                ? files.ContainsKey("image") && !files.ContainsKey("video") ? JobMode.Animate : JobMode.Dub
                : JobMode.Speak;
        }

        JobOptions options;
        try
        {
            options = ParseOptions(fields.GetValueOrDefault("options"));
        }
        catch (JsonException e)
        {
            problem = $"options: {e.Message}";
            return null;
        }

        var inputs = new JobInputs(
            Video: files.GetValueOrDefault("video"),
            Image: files.GetValueOrDefault("image"),
            Audio: files.GetValueOrDefault("audio"),
            Text: text,
            Voice: fields.GetValueOrDefault("voice") is { Length: > 0 } voice ? voice : null,
            Language: fields.GetValueOrDefault("language") is { Length: > 0 } language ? language : null);
        var outputName = fields.GetValueOrDefault("outputName") is { Length: > 0 } output ? output : null;
        return new JobSpec(mode, inputs, options, outputName);
    }

    /// <summary>The form's options are merged over the defaults, so a form names only what it changes.</summary>
    private static JobOptions ParseOptions(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return JobOptions.Default;
        }

        var given = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("must be a JSON object");
        var merged = JsonSerializer.SerializeToNode(JobOptions.Default, JobJson.Options)!.AsObject();
        Merge(merged, given);
        return merged.Deserialize<JobOptions>(JobJson.Options) ?? JobOptions.Default;
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (name, value) in source.ToList())
        {
            var key = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
            if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private JobForm Refuse(int status, string message) => new(null, Results.Json(new ApiError(message), statusCode: status));

    private async Task<JobForm> RefuseAsync(int status, string message)
    {
        await DeleteCreatedAsync();
        return Refuse(status, message);
    }
}
