namespace Pipeline.FaceTracking.Tracking;

/// <summary>
/// The face-track artifact: one .npy per quantity, all indexed [frame, face slot, ...], plus track.json describing
/// them. A slot is one selected face (one slot unless every face was asked for).
/// </summary>
public static class FaceTrackFiles
{
    public const string Sidecar = "track.json";
    public const string Present = "present.npy";
    public const string FaceId = "face_id.npy";
    public const string Boxes = "boxes.npy";
    public const string Landmarks = "landmarks.npy";
    public const string LandmarksRaw = "landmarks_raw.npy";
    public const string Pose = "pose.npy";
    public const string Similarity = "similarity.npy";
    public const string Confidence = "confidence.npy";

    public static IReadOnlyList<string> Arrays { get; } = [Present, FaceId, Boxes, Landmarks, LandmarksRaw, Pose, Similarity, Confidence];
}
