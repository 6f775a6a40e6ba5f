namespace Pipeline.FaceTracking.Tracking;

/// <summary>What one tracking run found and what it cost.</summary>
/// <param name="TrackingSeconds">Detection, landmarks, smoothing and pose: decoding and writing excluded.</param>
public sealed record FaceTrackSummary(
    long Frames,
    long FaceFrames,
    int Slots,
    int Identities,
    long Detections,
    long Cuts,
    int Width,
    int Height,
    double Fps,
    double TrackingSeconds,
    double DecodeSeconds)
{
    public double TrackingFps => TrackingSeconds > 0 ? Frames / TrackingSeconds : 0;
}
