namespace Pipeline.Motion.Stage;

/// <summary>What the motion stage predicts for a dub.</summary>
/// <param name="Landmarks">[Frames, 136] the 68 landmarks in each frame's pixel coordinates (0 where no face).</param>
/// <param name="Present">[Frames] 1 where the frame has a face to re-render.</param>
/// <param name="MouthCoefficients">[Frames, Components] the mouth shape as PCA coefficients of the target's own mouth, each divided by its component's standard deviation.</param>
/// <param name="Model">"personal", or "generic" when the footage had too little voiced speech to learn the articulation from.</param>
/// <param name="Set">The input set cross-validation chose ("Head" for the generic articulation placed by a pose-only fit); null when not even that could be fitted.</param>
public sealed record MotionResult(
    int Frames, float[] Landmarks, byte[] Present, float[] MouthCoefficients, int Components,
    string Model, string? Set, double GenericGain, double FitSeconds, double PredictSeconds);
