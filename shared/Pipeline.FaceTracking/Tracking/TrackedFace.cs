namespace Pipeline.FaceTracking.Tracking;

/// <summary>One face in one frame as the tracker saw it: identity, raw landmarks, the box they came from, confidence.</summary>
/// <param name="Id">Stable across frames and shot cuts (the n-th distinct face of the video, from 0).</param>
/// <param name="Landmarks">68 (x, y) pairs in frame pixels, unsmoothed.</param>
/// <param name="Confidence">0..1: box agreement, lowered when detections keep missing the face.</param>
/// <param name="Detected">True when a detection refreshed the face in this frame.</param>
public sealed record TrackedFace(int Id, float[] Landmarks, FaceBox Box, double Confidence, bool Detected);
