using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Render.Onnx;

/// <summary>
/// Describes a user's generator model so the onnx backend can run it without code: which file, under which licence,
/// which contract (what goes in and comes out), the tensor names, sizes, normalisation and crop. JSON, snake_case
/// (see README, "The onnx backend"). <see cref="Model"/> is relative to the manifest's folder; once imported into the
/// object store, <see cref="ModelKey"/> names the model's content-addressed key instead.
/// </summary>
public sealed record OnnxModelManifest
{
    public const string Wav2LipContract = "wav2lip";

    public string? Name { get; init; }

    /// <summary>The .onnx file, relative to the manifest.</summary>
    public string? Model { get; init; }

    /// <summary>Set by the import: the model's key in the object store (a distributed worker reads it from there).</summary>
    public string? ModelKey { get; init; }

    /// <summary>The weights' licence, recorded with every job that uses them (public Wav2Lip weights are non-commercial).</summary>
    public string? Licence { get; init; }

    public string? Contract { get; init; }

    public ManifestInputs? Inputs { get; init; }

    public string? Output { get; init; }

    /// <summary>Side of the square face crop the model reads and writes (Wav2Lip: 96).</summary>
    public int FaceSize { get; init; } = 96;

    /// <summary>Mel rows per frame (Wav2Lip: 16 rows of the 80 Hz mel, 0.2 s).</summary>
    public int MelWindow { get; init; } = 16;

    /// <summary>Mel bands (Wav2Lip: 80; the features stage computes exactly these).</summary>
    public int MelBands { get; init; } = 80;

    /// <summary>"bgr" (Wav2Lip, trained on OpenCV frames) or "rgb", for both the face input and the output.</summary>
    public string ChannelOrder { get; init; } = "bgr";

    /// <summary>Input pixel = byte value × scale (Wav2Lip: 1/255).</summary>
    public double Scale { get; init; } = 1.0 / 255.0;

    /// <summary>The output's [low, high], mapped to [0, 255] (Wav2Lip: [0, 1], a sigmoid).</summary>
    public double[] OutputRange { get; init; } = [0, 1];

    /// <summary>Frames per inference call.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Padding of the landmark box before it is squared, as shares of the face's size, in Wav2Lip's --pads order:
    /// top, bottom, left, right (bottom takes in the chin, as Wav2Lip's default pads of 0 10 0 0 do).
    /// </summary>
    public double[] CropPadding { get; init; } = [0.05, 0.1, 0.05, 0.05];

    [JsonIgnore]
    public bool Bgr => ChannelOrder.Equals("bgr", StringComparison.OrdinalIgnoreCase);

    public sealed record ManifestInputs(string? Mel, string? Face);

    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads and validates a manifest file; every problem is a <see cref="ModelManifestException"/>.</summary>
    public static OnnxModelManifest Load(string path)
    {
        var name = Path.GetFileName(path);
        if (Directory.Exists(path))
        {
            throw new ModelManifestException($"model manifest '{path}' is a folder, not a JSON file");
        }

        if (!File.Exists(path))
        {
            throw new ModelManifestException($"model manifest '{path}' does not exist");
        }

        var manifest = Parse(File.ReadAllBytes(path), name);
        manifest.Validate(name);
        var model = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, manifest.Model!));
        if (!File.Exists(model))
        {
            throw new ModelManifestException($"{name}: model file '{manifest.Model}' does not exist (looked for {model})");
        }

        return manifest with { Model = model };
    }

    public static OnnxModelManifest Parse(ReadOnlySpan<byte> json, string name)
    {
        try
        {
            return JsonSerializer.Deserialize<OnnxModelManifest>(json, Json)
                ?? throw new ModelManifestException($"{name}: the manifest is empty (null)");
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? string.Empty : $" at {e.Path}";
            throw new ModelManifestException($"{name}: not a valid model manifest{where}: {FirstLine(e.Message)}");
        }
    }

    /// <summary>Throws a one-line <see cref="ModelManifestException"/> for the first problem found.</summary>
    /// <param name="name">The manifest's file name, for the message.</param>
    public void Validate(string name)
    {
        string? problem = this switch
        {
            { Model: null or "" } and { ModelKey: null or "" } => "\"model\" is missing: the .onnx file, relative to the manifest",
            { Model: { } m } when !m.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && ModelKey is null => $"\"model\" must name an .onnx file, got '{m}'",
            { Licence: null or "" } => "\"licence\" is missing: record the weights' licence (public Wav2Lip weights are non-commercial)",
            { Contract: null or "" } => $"\"contract\" is missing: use \"{Wav2LipContract}\"",
            { Contract: var c } when !c.Equals(Wav2LipContract, StringComparison.OrdinalIgnoreCase) => $"unknown contract '{c}': the onnx backend knows \"{Wav2LipContract}\"",
            { Inputs: null } => "\"inputs\" is missing: {\"mel\": NAME, \"face\": NAME}",
            { Inputs.Mel: null or "" } => "\"inputs.mel\" is missing: the name of the [B,1,80,16] mel input",
            { Inputs.Face: null or "" } => "\"inputs.face\" is missing: the name of the [B,6,96,96] face input",
            { Output: null or "" } => "\"output\" is missing: the name of the [B,3,96,96] face output",
            { FaceSize: < 16 or > 1024 } => $"\"face_size\" must be 16..1024 pixels, got {FaceSize}",
            { MelWindow: < 1 or > 400 } => $"\"mel_window\" must be 1..400 rows, got {MelWindow}",
            { MelBands: not 80 } => $"\"mel_bands\" must be 80 (the features stage computes Wav2Lip's 80-band mel), got {MelBands}",
            { ChannelOrder: var o } when !o.Equals("bgr", StringComparison.OrdinalIgnoreCase) && !o.Equals("rgb", StringComparison.OrdinalIgnoreCase) => $"\"channel_order\" must be \"bgr\" or \"rgb\", got '{o}'",
            { Scale: var s } when !double.IsFinite(s) || s <= 0 => $"\"scale\" must be a positive number (1/255 for Wav2Lip), got {s}",
            { OutputRange: var r } when r is null || r.Length != 2 || !double.IsFinite(r[0]) || !double.IsFinite(r[1]) || r[1] <= r[0] => "\"output_range\" must be [low, high] with low < high ([0, 1] for Wav2Lip)",
            { BatchSize: < 1 or > 1024 } => $"\"batch_size\" must be 1..1024, got {BatchSize}",
            { CropPadding: var p } when p is null || p.Length != 4 || p.Any(v => !double.IsFinite(v) || v < -0.4 || v > 2) => "\"crop_padding\" must be [top, bottom, left, right], each a share of the face size in -0.4..2",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ModelManifestException($"{name}: {problem}");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
