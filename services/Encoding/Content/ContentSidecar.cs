using Pipeline.Features;

namespace Pipeline.Encoding.Content;

/// <summary>
/// content.json beside visemes.npy (snake_case, like features.json): the viseme column names, the frame clock, the
/// method and its parameters, so a Python reader needs nothing else.
/// </summary>
public sealed record ContentSidecar(
    string Format,
    int SchemaVersion,
    string Method,
    FeatureClock Clock,
    IReadOnlyList<string> Visemes,
    IReadOnlyDictionary<string, FeatureFile> Files,
    ContentSource Source,
    IReadOnlyDictionary<string, object> Parameters,
    IReadOnlyList<string> Notes)
{
    public const string FormatName = "pipeline.content";
    public const int CurrentSchemaVersion = 1;
    public const string FileName = "content.json";
    public const string VisemesFile = "visemes.npy";
}

/// <summary>The audio the content came from and what each recogniser found in it.</summary>
// No timings here: the sidecar must be byte-identical when the same audio is encoded again.
public sealed record ContentSource(double DurationSeconds, int PocketSphinxPhones, long HeadAudioHops, long HeadAudioActiveHops);
