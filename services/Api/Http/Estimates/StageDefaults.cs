namespace Pipeline.Api.Http.Estimates;

/// <summary>
/// Seconds of work per second of media for each stage when a tenant has no history yet. Measured on the reference
/// machine (a 2-core container) on 2026-12-06 with <c>pipeline bench --json</c>: a dub of testdata/video/hdtf_katiehill.mp4
/// (8 s, 512x512, 25 fps) with testdata/audio/en_radio31.wav, exemplar backend, empty store; each stage's seconds
/// divided by the 8 s. The machine was shared with several builds at the time (load average 30 to 75, the ffmpeg
/// floor 16.8 s against about 1 s idle), and an 8 s clip makes per-process start-up count as per-second work, so
/// these figures are pessimistic: a tenant's own history replaces each one as soon as it has a run of that stage.
/// </summary>
public static class StageDefaults
{
    /// <summary>For a stage this table does not know (a new one): about the median of the stages below.</summary>
    public const double Unknown = 3.3;

    public static IReadOnlyDictionary<string, double> SecondsPerMediaSecond { get; } = new Dictionary<string, double>
    {
        ["ingest"] = 2.15,
        ["prepare-audio"] = 3.54,
        ["features/new-speech"] = 3.27,
        ["features/target"] = 3.10,
        ["encoding/new-speech"] = 5.91,
        ["encoding/target"] = 7.43,
        ["track"] = 21.54,
        ["motion"] = 0.63,
        ["exemplar-bank"] = 2.70,
        ["render"] = 2.50,
        ["mux"] = 6.40,
    };
}
