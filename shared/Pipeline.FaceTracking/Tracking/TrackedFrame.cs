namespace Pipeline.FaceTracking.Tracking;

/// <summary>What the tracker saw in one frame: its index in the clip, whether a new shot began, the faces.</summary>
public sealed record TrackedFrame(long Frame, bool Cut, IReadOnlyList<TrackedFace> Faces);
