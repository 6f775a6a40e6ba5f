using System.Globalization;
using Pipeline.Api.Http;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Api.Batches;

/// <summary>
/// Turns a manifest row into a job spec, reporting every fault of the row (not only the first) by column.
/// Media cells are storage references: an uploaded input's key (<c>inputs/{sha256}/{name}</c>, as PUT /v1/inputs
/// answers it) or a path inside the tenant's own area of the store (<c>videos/ep01.mp4</c> means
/// <c>tenants/{tenant}/videos/ep01.mp4</c>).
/// </summary>
public static class RowSpecs
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "id", "ref", "mode", "video", "image", "audio", "text", "voice", "language",
        "emotion", "emotionIntensity", "face", "lengthPolicy", "outputName", "backend", "model",
        "crf", "preset", "keepOriginalAudio", "headMotion", "seed",
    ];

    private static readonly HashSet<string> Known = new(Columns, StringComparer.OrdinalIgnoreCase);

    public static string? RefOf(ManifestRow row) => Get(row, "id") ?? Get(row, "ref");

    public static async Task<(JobSpec? Spec, List<RowError> Errors)> BuildAsync(ManifestRow row, string tenant, IObjectStore store, CancellationToken ct)
    {
        var n = row.Number;
        var errors = new List<RowError>(row.Problems);
        void Error(string column, string reason) => errors.Add(new RowError(n, column, reason));

        foreach (var column in row.Fields.Keys.Where(k => !Known.Contains(k)))
        {
            Error(column, $"unknown column; the columns are {string.Join(", ", Columns)}");
        }

        var video = await MediaAsync(row, "video", tenant, store, Error, ct);
        var image = await MediaAsync(row, "image", tenant, store, Error, ct);
        var audio = await MediaAsync(row, "audio", tenant, store, Error, ct);
        var text = Get(row, "text");
        if (Get(row, "video") is null && Get(row, "image") is null)
        {
            Error("video", "a row needs a video (or an image)");
        }
        else if (Get(row, "video") is not null && Get(row, "image") is not null)
        {
            Error("image", "a row takes a video or an image, not both");
        }

        if (Get(row, "audio") is null && text is null)
        {
            Error("audio", "a row needs audio (or text)");
        }

        var mode = Get(row, "image") is not null ? JobMode.Animate : Get(row, "audio") is null && text is not null ? JobMode.Speak : JobMode.Dub;
        if (Get(row, "mode") is { } modeText && !OptionText.Named(modeText, out mode))
        {
            Error("mode", $"'{modeText}' is not one of {OptionText.Names<JobMode>()}");
        }

        var options = JobOptions.Default;
        if (Get(row, "emotion") is { } emotionText)
        {
            if (OptionText.Emotion(emotionText) is { } emotion)
            {
                options = options with { Emotion = emotion };
            }
            else
            {
                Error("emotion", $"'{emotionText}' is not an emotion: {OptionText.Names<EmotionLabel>()}, optionally with :intensity (0..1), or from-audio");
            }
        }

        if (Get(row, "emotionIntensity") is { } intensityText)
        {
            var key = options.Emotion.Timeline.Count == 1 ? options.Emotion.Timeline[0] : null;
            if (OptionText.Intensity(intensityText) is not { } intensity)
            {
                Error("emotionIntensity", $"'{intensityText}' is not a number from 0 to 1");
            }
            else if (Get(row, "emotion") is null || key is null || key.Label == EmotionLabel.Neutral)
            {
                Error("emotionIntensity", "needs an emotion other than neutral or from-audio in the emotion column");
            }
            else
            {
                options = options with { Emotion = EmotionSpec.Constant(key.Label, intensity) };
            }
        }

        if (Get(row, "face") is { } faceText)
        {
            if (OptionText.Face(faceText) is { } face)
            {
                options = options with { Face = face };
            }
            else
            {
                Error("face", $"'{faceText}' is not one of: largest, index:N, box:X,Y,W,H[@SECONDS], all");
            }
        }

        if (Get(row, "lengthPolicy") is { } policyText)
        {
            if (OptionText.Named<LengthPolicy>(policyText, out var policy))
            {
                options = options with { LengthPolicy = policy };
            }
            else
            {
                Error("lengthPolicy", $"'{policyText}' is not one of {OptionText.Names<LengthPolicy>()}");
            }
        }

        var backend = Get(row, "backend") ?? RenderBackends.Auto;
        if (!RenderBackends.Names.Contains(backend.ToLowerInvariant()))
        {
            Error("backend", $"'{backend}' is not one of {string.Join(", ", RenderBackends.Names)}");
        }

        string? modelKey = null;
        if (Get(row, "model") is { } model)
        {
            modelKey = StorageKey(model, tenant);
            if (modelKey is null || await JobSubmission.TryStatAsync(store, modelKey, ct) is null)
            {
                Error("model", $"'{model}' is not stored");
            }
            else if (backend.Equals(RenderBackends.Auto, StringComparison.OrdinalIgnoreCase))
            {
                backend = RenderBackends.Onnx;
            }
        }

        options = options with { Backend = new BackendSpec(backend.ToLowerInvariant(), modelKey) };

        var output = options.Output;
        if (Get(row, "crf") is { } crfText)
        {
            if (int.TryParse(crfText, NumberStyles.None, CultureInfo.InvariantCulture, out var crf) && crf <= 51)
            {
                output = output with { Crf = crf };
            }
            else
            {
                Error("crf", $"'{crfText}' is not a whole number from 0 to 51");
            }
        }

        if (Get(row, "preset") is { } preset)
        {
            output = output with { Preset = preset };
        }

        if (Get(row, "keepOriginalAudio") is { } keepText)
        {
            if (bool.TryParse(keepText, out var keep))
            {
                output = output with { KeepOriginalAudio = keep };
            }
            else
            {
                Error("keepOriginalAudio", $"'{keepText}' is not true or false");
            }
        }

        options = options with { Output = output };
        if (Get(row, "headMotion") is { } style)
        {
            options = options with { HeadMotion = options.HeadMotion with { Style = style } };
        }

        if (Get(row, "seed") is { } seedText)
        {
            if (int.TryParse(seedText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
            {
                options = options with { HeadMotion = options.HeadMotion with { Seed = seed } };
            }
            else
            {
                Error("seed", $"'{seedText}' is not a whole number");
            }
        }

        var outputName = Get(row, "outputName");
        if (outputName is not null && (outputName.Contains('/', StringComparison.Ordinal) || outputName.Contains('\\', StringComparison.Ordinal) || outputName.Length > 200))
        {
            Error("outputName", "a file name, without folders");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var spec = new JobSpec(
            mode,
            new JobInputs(video, image, audio, text, Get(row, "voice"), Get(row, "language")),
            options,
            outputName);

        // The same checks as POST /v1/jobs: what the planner refuses and inputs this tenant may not read.
        if (await JobSubmission.CheckAsync(spec, tenant, store, ct) is { } problem)
        {
            Error(problem.Field == "spec" ? string.Empty : problem.Field.Replace("inputs.", string.Empty, StringComparison.Ordinal), problem.Reason);
            return (null, errors);
        }

        return (spec, errors);
    }

    /// <summary>The object key a media cell names, or null when it names nothing a tenant may reference.</summary>
    public static string? StorageKey(string value, string tenant)
    {
        var key = value.StartsWith("inputs/", StringComparison.Ordinal) ? value : JobSubmission.TenantPrefix(tenant) + value.TrimStart('/');
        try
        {
            ObjectKey.Validate(key);
            return key;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static async Task<ArtifactRef?> MediaAsync(
        ManifestRow row, string column, string tenant, IObjectStore store, Action<string, string> error, CancellationToken ct)
    {
        if (Get(row, column) is not { } value)
        {
            return null;
        }

        if (StorageKey(value, tenant) is not { } key)
        {
            error(column, $"'{value}' is not a valid storage path");
            return null;
        }

        if (await JobSubmission.TryStatAsync(store, key, ct) is not { } info)
        {
            error(column, $"'{value}' is not stored: upload it with PUT /v1/inputs/{{sha256}}/{{name}} and use the key it answers, or put it under the tenant's folder");
            return null;
        }

        return new ArtifactRef(info.Key, info.SizeBytes, info.ContentType);
    }

    private static string? Get(ManifestRow row, string column) =>
        row.Fields.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
