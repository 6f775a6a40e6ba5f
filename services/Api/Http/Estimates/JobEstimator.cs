using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pipeline.Api.Ingest;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.Media;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Api.Http.Estimates;

/// <summary>
/// Estimates a job before it is submitted: the inputs' lengths (ingest's stored probe summary, else ffprobe), then per
/// stage the seconds of work per second of media, the median of this tenant's recent succeeded runs of the stage
/// (cache hits left out) or, without any, <see cref="StageDefaults"/>; costs from <see cref="PricingOptions"/>.
/// </summary>
public sealed class JobEstimator(JobDbContext db, IObjectStore store, MediaProber prober, IOptions<PricingOptions> pricing, IOptions<ApiOptions> api)
{
    /// <summary>How many of the most recent samples a median is taken over: recent enough to follow a change of hardware.</summary>
    public const int HistorySamples = 20;

    /// <exception cref="EstimateRejectedException">An input cannot be read as media.</exception>
    public async Task<JobEstimate> EstimateAsync(string tenant, JobSpec spec, IReadOnlyList<PlanNode> plan, CancellationToken ct)
    {
        var inputs = new List<InputEstimate>();
        var summaries = new Dictionary<InputRole, MediaSummary>();
        foreach (var (field, role, input) in Named(spec.Inputs))
        {
            var (summary, cached) = await ProbeAsync(field, input, role, ct);
            summaries[role] = summary;
            inputs.Add(new InputEstimate(field, input.Key, Math.Round(summary.DurationSeconds, 3), cached ? "cache" : "ffprobe"));
        }

        var video = summaries.GetValueOrDefault(InputRole.Video);
        var audio = summaries.GetValueOrDefault(InputRole.Audio);
        var extended = plan.Any(n => n.Run.Stage == StageKind.PrepareVideo) && StageCommands.ExtendsVideo(video, audio);
        var media = MediaSecondsOf(spec.Mode, video, audio, extended);
        var rendered = RenderedSecondsOf(spec.Mode, video, audio, extended);
        var specJson = JsonSerializer.Serialize(spec, JobJson.Options);
        var allCached = await db.Jobs.AsNoTracking().AnyAsync(j => j.TenantId == tenant && j.Status == JobStatus.Succeeded && j.SpecJson == specJson, ct);
        var ingestCached = inputs.All(i => i.Probe == "cache");
        var history = await HistoryAsync(tenant, spec.Mode, ct);
        var options = pricing.Value;

        var stages = new List<StageEstimate>();
        var finish = new Dictionary<string, double>();
        foreach (var node in plan)
        {
            var start = node.DependsOn.Select(d => finish.GetValueOrDefault(d)).DefaultIfEmpty(0).Max();
            if (IsSkipped(node, spec, video, audio))
            {
                finish[node.Name] = start;
                continue;
            }

            var samples = history.Stages.GetValueOrDefault(node.Name) ?? [];
            var (ratio, source) = samples.Count > 0
                ? (Median(samples), "history")
                : (StageDefaults.SecondsPerMediaSecond.GetValueOrDefault(node.Name, StageDefaults.Unknown), "default");
            var hit = allCached || (node.Run.Stage == StageKind.Ingest && ingestCached);
            var basis = node.Run.Stage == StageKind.Render ? rendered : media;
            var work = hit ? 0 : ratio * basis;
            var gpu = options.GpuStages.Contains(node.Name, StringComparer.OrdinalIgnoreCase);
            var cost = work * (gpu ? options.GpuSecond : options.CpuSecond);
            stages.Add(new StageEstimate(node.Name, Math.Round(ratio, 4), source, samples.Count, Math.Round(work, 2), gpu ? "gpu" : "cpu", Math.Round(cost, 6), hit, Math.Round(basis, 3)));
            finish[node.Name] = start + work;
        }

        var workTotal = stages.Sum(s => s.WorkSeconds);
        var (wall, wallSource) = allCached
            ? (0, "stages")
            : history.WallPerMediaSecond.Count > 0
                ? (Median(history.WallPerMediaSecond) * media, "history")
                : (finish.Values.DefaultIfEmpty(0).Max(), "stages");
        return new JobEstimate(
            spec.Mode.ToString(),
            Math.Round(media, 3),
            inputs,
            stages,
            Math.Round(workTotal, 2),
            Math.Round(wall, 2),
            wallSource,
            Math.Round(stages.Sum(s => s.Cost), 6),
            options.Currency,
            allCached,
            stages.Where(s => s.CacheHit).Select(s => s.Stage).ToList());
    }

    /// <summary>The per-second figures of this tenant's recent succeeded jobs of the mode, newest first.</summary>
    private async Task<History> HistoryAsync(string tenant, JobMode mode, CancellationToken ct)
    {
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => j.TenantId == tenant && j.Mode == mode && j.Status == JobStatus.Succeeded)
            .Select(j => new { j.Id, j.CreatedAt, j.FinishedAt })
            .ToListAsync(ct);
        if (jobs.Count == 0)
        {
            return new History(new Dictionary<string, List<double>>(), []);
        }

        // Templates only: a fan-out's template holds its chunks' summed work. Only ingest's result is read (for the
        // length), and whether prepare-video extended the picture (a skipped node's result is null).
        var runs = await db.StageRuns.AsNoTracking()
            .Where(r => r.ChunkIndex == null && r.Status == StageRunStatus.Succeeded)
            .Join(db.Jobs.Where(j => j.TenantId == tenant && j.Mode == mode && j.Status == JobStatus.Succeeded), r => r.JobId, j => j.Id, (r, j) => r)
            .Select(r => new { r.JobId, r.Node, r.WorkSeconds, r.CacheHit, r.FinishedAt, Result = r.Node == "ingest" ? r.ResultJson : null, Extended = r.Node == PrepareVideoNode && r.ResultJson != "null" })
            .ToListAsync(ct);

        var extendedJobs = runs.Where(r => r.Extended).Select(r => r.JobId).ToHashSet();
        var media = new Dictionary<Guid, double>();
        var rendered = new Dictionary<Guid, double>();
        foreach (var ingest in runs.Where(r => r.Node == "ingest" && r.Result is not null))
        {
            var result = JsonSerializer.Deserialize<MediaIngested>(ingest.Result!, JobJson.Options);
            var extended = extendedJobs.Contains(ingest.JobId);
            if (result is not null && MediaSecondsOf(mode, result.Video, result.Audio, extended) is > 0 and var seconds)
            {
                media[ingest.JobId] = seconds;
                rendered[ingest.JobId] = RenderedSecondsOf(mode, result.Video, result.Audio, extended) is > 0 and var r ? r : seconds;
            }
        }

        var stages = runs
            .Where(r => !r.CacheHit && r.WorkSeconds > 0 && media.ContainsKey(r.JobId))
            .GroupBy(r => r.Node)
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(r => r.FinishedAt).Take(HistorySamples)
                    .Select(r => r.WorkSeconds!.Value / (r.Node == RenderNode ? rendered : media)[r.JobId]).ToList());

        // Wall time only of jobs that ran every stage: a job made of cache hits says nothing about how long work takes.
        var cachedJobs = runs.Where(r => r.CacheHit).Select(r => r.JobId).ToHashSet();
        var walls = jobs
            .Where(j => j.FinishedAt is not null && media.ContainsKey(j.Id) && !cachedJobs.Contains(j.Id))
            .OrderByDescending(j => j.FinishedAt)
            .Take(HistorySamples)
            .Select(j => (j.FinishedAt!.Value - j.CreatedAt).TotalSeconds / media[j.Id])
            .ToList();
        return new History(stages, walls);
    }

    private async Task<(MediaSummary Summary, bool Cached)> ProbeAsync(string field, ArtifactRef input, InputRole role, CancellationToken ct)
    {
        // An input ingest passed before has its summary stored: reading it is cheap, and ingest will be a cache hit.
        var key = IngestMediaConsumer.SummaryKey(input, role);
        if (await store.StatAsync(key, ct) is not null)
        {
            var cached = await store.ReadJsonAsync<MediaSummary>(key, ct);
            try
            {
                InputRequirements.CheckDuration(cached.DurationSeconds, Name(input), api.Value.MaxInputSeconds);
            }
            catch (MediaException e)
            {
                throw new EstimateRejectedException($"inputs.{field}: {e.Message}");
            }

            return (cached, true);
        }

        try
        {
            using var file = await store.GetLocalFileAsync(input.Key, ct);
            var info = await prober.ProbeAsync(file.Path, ct);
            InputRequirements.Check(info, role, Name(input), api.Value.MaxInputSeconds);
            return (info.ToSummary(), false);
        }
        catch (MediaException e)
        {
            throw new EstimateRejectedException($"inputs.{field}: {e.Message}");
        }
    }

    /// <summary>
    /// The length per-second figures are per: the speech in animate mode; in dub mode the picture the job works on,
    /// which is the target video, or the speech's length when prepare-video extends a shorter video to it.
    /// </summary>
    private static double MediaSecondsOf(JobMode mode, MediaSummary? video, MediaSummary? audio, bool extended) =>
        mode == JobMode.Dub && !extended ? video?.DurationSeconds ?? 0 : audio?.DurationSeconds ?? 0;

    /// <summary>
    /// The length render's figure is per: the rendered picture, which ends with the speech (StageCommands.WithinOutput),
    /// so a dub whose speech is shorter than its video renders only the speech's length.
    /// </summary>
    private static double RenderedSecondsOf(JobMode mode, MediaSummary? video, MediaSummary? audio, bool extended) =>
        mode == JobMode.Dub && !extended && audio is not null
            ? Math.Min(video?.DurationSeconds ?? 0, audio.DurationSeconds)
            : MediaSecondsOf(mode, video, audio, extended);

    private static readonly string PrepareVideoNode = PlanNode.NodeName(new StageRunId(StageKind.PrepareVideo));

    private static readonly string RenderNode = PlanNode.NodeName(new StageRunId(StageKind.Render));

    // The nodes StageCommands.Build finds nothing to do for: the target's own speech when its video is silent, the
    // exemplar bank for any other backend, and prepare-video when the speech does not outlast the picture.
    private static bool IsSkipped(PlanNode node, JobSpec spec, MediaSummary? video, MediaSummary? audio) =>
        (node.Run.Variant == StageVariants.Target && video is { HasAudio: false })
        || (node.Run.Stage == StageKind.PrepareVideo && !StageCommands.ExtendsVideo(video, audio))
        || (node.Run.Stage == StageKind.ExemplarBank && RenderBackends.Resolve(spec.Options.Backend, spec.Mode) != RenderBackends.Exemplar);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static IEnumerable<(string Field, InputRole Role, ArtifactRef Input)> Named(JobInputs inputs)
    {
        if (inputs.Video is { } video)
        {
            yield return ("video", InputRole.Video, video);
        }

        if (inputs.Image is { } image)
        {
            yield return ("image", InputRole.Image, image);
        }

        if (inputs.Audio is { } audio)
        {
            yield return ("audio", InputRole.Audio, audio);
        }
    }

    private static string Name(ArtifactRef input) => input.Key[(input.Key.LastIndexOf('/') + 1)..];

    private sealed record History(Dictionary<string, List<double>> Stages, List<double> WallPerMediaSecond);
}

/// <summary>The estimate cannot be made from this request; the message names the field.</summary>
public sealed class EstimateRejectedException(string message) : Exception(message);
