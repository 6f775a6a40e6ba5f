namespace Pipeline.Features;

/// <summary>
/// features.json: everything a reader needs to use the .npy files beside it without our code. Serialised with
/// snake_case names (see <see cref="FeatureSidecarJson"/>) so it reads naturally from Python's json module.
/// </summary>
public sealed record FeatureSidecar(
    string Format,
    int SchemaVersion,
    FeatureLibrary Library,
    FeatureSource Source,
    IReadOnlyDictionary<string, FeatureClock> Clocks,
    IReadOnlyDictionary<string, FeatureFile> Files,
    FeatureCounts Summary,
    IReadOnlyList<string> Notes)
{
    public const string FormatName = "pipeline.audio-features";
    public const int CurrentSchemaVersion = 1;

    /// <summary>Clock name of the per-video-frame arrays.</summary>
    public const string VideoClock = "video";
}

/// <summary>The code that wrote the files, so a change of algorithm shows up as a change of version.</summary>
public sealed record FeatureLibrary(string Name, string Version, int AlgorithmVersion);

/// <summary>The audio the features were computed from, after decoding to mono float.</summary>
public sealed record FeatureSource(int SampleRate, int Channels, long Samples, double DurationSeconds);

/// <summary>
/// A frame clock: row i of an array on this clock covers [i / rate, (i + 1) / rate) seconds where rate =
/// numerator / denominator; <see cref="SampleTime"/> says where inside that interval its values were taken.
/// </summary>
public sealed record FeatureClock(long Numerator, long Denominator, double Rate, long Frames, string FrameInterval, string SampleTime, string FrameCount);

/// <summary>One .npy file: its layout, clock, units, and the parameters that produced it.</summary>
public sealed record FeatureFile(
    string File,
    string Dtype,
    IReadOnlyList<long> Shape,
    IReadOnlyList<string> Axes,
    string Clock,
    string Units,
    string Description,
    IReadOnlyDictionary<string, object> Parameters);

/// <summary>Headline counts, the same numbers the CLI prints.</summary>
public sealed record FeatureCounts(long Frames, long VoicedFrames, long ActiveFrames);
