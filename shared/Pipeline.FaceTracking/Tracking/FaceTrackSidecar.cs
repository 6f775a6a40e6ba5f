using System.Text.Json;
using Pipeline.Features;

namespace Pipeline.FaceTracking.Tracking;

/// <summary>track.json: what every array of the face-track artifact holds, its clock and how it was made.</summary>
public sealed record FaceTrackSidecar(
    string Format,
    int SchemaVersion,
    FeatureClock Clock,
    long FirstFrame,
    int Width,
    int Height,
    int Slots,
    string Selection,
    IReadOnlyDictionary<string, FeatureFile> Files,
    FaceTrackCounts Counts,
    IReadOnlyDictionary<string, object> Parameters,
    IReadOnlyList<string> Notes)
{
    public const string FormatName = "pipeline.face-track";
    public const int CurrentSchemaVersion = 1;

    public static async Task WriteAsync(string path, FaceTrackSidecar sidecar, CancellationToken ct = default)
    {
        await using (var stream = File.Create(path + ".tmp"))
        {
            await JsonSerializer.SerializeAsync(stream, sidecar, FeatureSidecarJson.Options, ct).ConfigureAwait(false);
        }

        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static async Task<FaceTrackSidecar> ReadAsync(string path, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(path);
        return await ReadAsync(stream, ct).ConfigureAwait(false);
    }

    public static async Task<FaceTrackSidecar> ReadAsync(Stream stream, CancellationToken ct = default) =>
        await JsonSerializer.DeserializeAsync<FaceTrackSidecar>(stream, FeatureSidecarJson.Options, ct).ConfigureAwait(false)
            ?? throw new InvalidDataException("the face-track sidecar is empty");

    public static IReadOnlyDictionary<string, FeatureFile> Describe(long frames, int slots)
    {
        var none = new Dictionary<string, object>();
        FeatureFile File(string name, string dtype, long[] inner, string[] axes, string units, string what) =>
            new(name, dtype, [frames, slots, .. inner], ["frame", "face", .. axes], "video", units, what, none);
        return new Dictionary<string, FeatureFile>
        {
            ["present"] = File(FaceTrackFiles.Present, "|u1", [], [], "flag", "1 when the slot holds a face in this frame; every other array is NaN (or -1, or 0) where it is 0"),
            ["face_id"] = File(FaceTrackFiles.FaceId, "<i4", [], [], "id", "identity of the face in the slot, stable across frames and shot cuts within one run (-1 = none)"),
            ["boxes"] = File(FaceTrackFiles.Boxes, "<f4", [4], ["left_top_right_bottom"], "pixel", "the box the landmarks were predicted in (dlib's convention: inclusive corners)"),
            ["landmarks"] = File(FaceTrackFiles.Landmarks, "<f4", [68, 2], ["point", "xy"], "pixel", "68 iBUG/dlib points, smoothed over time (zero-phase One Euro: no lag)"),
            ["landmarks_raw"] = File(FaceTrackFiles.LandmarksRaw, "<f4", [68, 2], ["point", "xy"], "pixel", "the same points as predicted per frame, before smoothing"),
            ["pose"] = File(FaceTrackFiles.Pose, "<f4", [6], ["yaw_pitch_roll_tx_ty_tz"], "degree, mm", "head pose by PnP against a generic 3D face (pinhole, focal = max(width, height)); yaw > 0 turns to the image's left, pitch > 0 nods down, roll > 0 tilts clockwise"),
            ["similarity"] = File(FaceTrackFiles.Similarity, "<f4", [4], ["scale_rotation_tx_ty"], "1, radian, canonical unit", "image → canonical face: x' = s(cos r·x − sin r·y) + tx, y' = s(sin r·x + cos r·y) + ty; canonical unit = inter-ocular distance"),
            ["confidence"] = File(FaceTrackFiles.Confidence, "<f4", [], [], "0..1", "1 at a detection; between detections the agreement of the landmarks with the box they came from"),
        };
    }
}

/// <summary>Headline counts, the same numbers the CLI prints.</summary>
public sealed record FaceTrackCounts(long Frames, long FaceFrames, int Identities, long Detections, long Cuts);
