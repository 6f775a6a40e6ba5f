namespace Pipeline.Api.Http.Estimates;

/// <summary>
/// Seconds of work per second of media for each stage when a tenant has no history yet: measured with
/// <c>./pipeline bench</c> (a dub of testdata/video/hdtf_katiehill.mp4 with en_radio31.wav, exemplar backend, empty store)
/// on the reference machine, a 2-core container shared with other builds (see README, "Estimates").
/// </summary>
public static class StageDefaults
{
    /// <summary>For a stage this table does not know (a new one): about what a mid-weight stage costs.</summary>
    public const double Unknown = 0.5;

    public static IReadOnlyDictionary<string, double> SecondsPerMediaSecond { get; } = new Dictionary<string, double>
    {
        ["ingest"] = 0.01,
        ["prepare-audio"] = 0.03,
        ["features/new-speech"] = 0.05,
        ["features/target"] = 0.05,
        ["encoding/new-speech"] = 0.16,
        ["encoding/target"] = 0.15,
        ["track"] = 0.26,
        ["motion"] = 0.04,
        ["exemplar-bank"] = 0.2,
        ["render"] = 1.0,
        ["mux"] = 0.03,
    };
}
