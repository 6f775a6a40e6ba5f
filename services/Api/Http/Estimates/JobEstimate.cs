namespace Pipeline.Api.Http.Estimates;

/// <summary>What <c>POST /v1/estimates</c> answers: the job's length, each stage's work and cost, and the totals.</summary>
/// <param name="MediaSeconds">The length every per-second figure is per: the target video (dub; the speech when a
/// shorter video is extended to it under loop, bounce or hold) or the speech (animate).</param>
/// <param name="WorkSeconds">Stage work summed over stages that are not cache hits.</param>
/// <param name="WallSeconds">Submit to output, as history measured it or, without history, the stages' critical path.</param>
/// <param name="WallSource">"history" (median wall time per media second of this tenant's recent jobs of this mode) or "stages".</param>
/// <param name="AllCached">A succeeded job of this tenant had exactly this spec: every stage's output is already stored.</param>
public sealed record JobEstimate(
    string Mode,
    double MediaSeconds,
    IReadOnlyList<InputEstimate> Inputs,
    IReadOnlyList<StageEstimate> Stages,
    double WorkSeconds,
    double WallSeconds,
    string WallSource,
    double Cost,
    string Currency,
    bool AllCached,
    IReadOnlyList<string> CacheHits);

/// <param name="Probe">"cache" (ingest's stored summary: ingest would be a cache hit) or "ffprobe".</param>
public sealed record InputEstimate(string Field, string Key, double DurationSeconds, string Probe);

/// <param name="Stage">The plan node without its chunk ("render", "features/new-speech").</param>
/// <param name="SecondsPerMediaSecond">Seconds of work per second of media: a median of history, or the default.</param>
/// <param name="Source">"history" (with <paramref name="Samples"/> recent runs) or "default" (measured on the reference machine, see README).</param>
/// <param name="Device">"cpu" or "gpu", from Api:Pricing:GpuStages.</param>
/// <param name="MediaSeconds">The seconds <paramref name="SecondsPerMediaSecond"/> is per: the job's, except render's, which is
/// the rendered picture: it ends with the speech, so a dub whose speech is shorter than its video renders only that.</param>
public sealed record StageEstimate(
    string Stage,
    double SecondsPerMediaSecond,
    string Source,
    int Samples,
    double WorkSeconds,
    string Device,
    double Cost,
    bool CacheHit,
    double MediaSeconds);
