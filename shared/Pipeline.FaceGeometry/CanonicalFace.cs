namespace Pipeline.FaceGeometry;

/// <summary>
/// The mean frontal face in a normalised frame: the midpoint of the outer eye corners (36, 45) at the
/// origin, their distance 1, x to the image's right, y down. Motion prediction works in this frame, so
/// mouth shapes from different frames, poses and people are comparable.
/// </summary>
/// <remarks>
/// Provenance. These are the mean shape (<c>initial_shape</c>) stored in dlib's
/// <c>shape_predictor_68_face_landmarks.dat</c> (Debian package libdlib-data, 19.24; model © Davis E. King,
/// released under CC0 1.0). dlib's trainer computes it as the per-point mean of the hand-labelled
/// iBUG 300-W training faces, each first normalised to its face detector box (see
/// <c>populate_training_sample_shapes</c> in dlib/image_processing/shape_predictor_trainer.h); the
/// training set included left-right mirrored copies, which is why the mean is symmetric to 6e-5.
/// The box-normalised mean was then mapped by the similarity that sends the eye-corner midpoint to the
/// origin and 36→45 to (1, 0), and rounded to 6 decimals.
/// <para>
/// Regenerate: the first object in the .dat after the version integer (1) is the 136x1 float matrix
/// (x0, y0, x1, y1, ...), in dlib's serialisation (control byte: low nibble = byte count, bit 7 = sign;
/// each float is an int64 mantissa and an int16 exponent). The test
/// <c>CanonicalFaceProvenanceTests</c> reads it from the installed model, re-derives these numbers and
/// prints them as C# if they ever disagree.
/// </para>
/// <para>
/// Not used: dlib's examples/faces/*_with_face_landmarks.xml (43 small PASCAL VOC faces). Their own
/// comment says the landmarks were produced by this same predictor, not labelled by hand; their
/// generalised-Procrustes mean is 0.035 inter-ocular RMS away from this one and visibly asymmetric.
/// </para>
/// </remarks>
public static class CanonicalFace
{
    /// <summary>The 68 canonical points, interleaved x, y, in inter-ocular units.</summary>
    public static ReadOnlySpan<float> Points =>
    [
        // jaw 0-16
        -0.822252f, 0.011145f, -0.816695f, 0.228656f, -0.793426f, 0.445321f, -0.748262f, 0.657788f,
        -0.663546f, 0.855112f, -0.533445f, 1.026237f, -0.374283f, 1.169015f, -0.198691f, 1.283667f,
        -0.000032f, 1.317733f, 0.198630f, 1.283664f, 0.374226f, 1.169015f, 0.533387f, 1.026242f,
        0.663500f, 0.855116f, 0.748227f, 0.657793f, 0.793394f, 0.445327f, 0.816667f, 0.228659f,
        0.822228f, 0.011143f,
        // brows 17-26
        -0.665451f, -0.147934f, -0.563534f, -0.239705f, -0.419684f, -0.267056f, -0.270722f, -0.245835f,
        -0.131252f, -0.187853f, 0.131261f, -0.187859f, 0.270732f, -0.245841f, 0.419696f, -0.267060f,
        0.563549f, -0.239710f, 0.665468f, -0.147933f,
        // nose 27-35
        0.000002f, -0.017515f, -0.000005f, 0.122607f, -0.000007f, 0.261492f, -0.000015f, 0.404433f,
        -0.166895f, 0.501089f, -0.086747f, 0.530602f, -0.000012f, 0.555815f, 0.086728f, 0.530606f,
        0.166882f, 0.501097f,
        // eyes 36-47
        -0.500000f, 0.000000f, -0.411096f, -0.051119f, -0.304319f, -0.049615f, -0.210806f, 0.020956f,
        -0.310916f, 0.038804f, -0.417215f, 0.037400f, 0.210812f, 0.020950f, 0.304325f, -0.049620f,
        0.411099f, -0.051124f, 0.500000f, 0.000000f, 0.417214f, 0.037396f, 0.310919f, 0.038801f,
        // outer lip 48-59
        -0.319611f, 0.761047f, -0.201978f, 0.714020f, -0.082953f, 0.689648f, -0.000012f, 0.710162f,
        0.082935f, 0.689659f, 0.201957f, 0.714034f, 0.319593f, 0.761047f, 0.205751f, 0.875978f,
        0.090103f, 0.926848f, -0.000013f, 0.936457f, -0.090130f, 0.926839f, -0.205773f, 0.875969f,
        // inner lip 60-67
        -0.270537f, 0.767261f, -0.084007f, 0.758982f, -0.000013f, 0.767904f, 0.083988f, 0.758990f,
        0.270515f, 0.767264f, 0.085621f, 0.821450f, -0.000009f, 0.831783f, -0.085637f, 0.821442f,
    ];

    /// <summary>
    /// The points that alignment trusts: eye corners (36, 39, 42, 45), nose bridge (27-30) and nose base
    /// (31-35). The mouth and jaw move with speech and the brows with expression; letting them pull the
    /// alignment would make the very motion we model leak into the pose.
    /// </summary>
    public static ReadOnlySpan<byte> StableIndices => [27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 39, 42, 45];

    private static readonly float[] StableWeightArray = BuildStableWeights();

    /// <summary>Per-point weights for <see cref="SimilarityTransform.Estimate"/>: 1 on <see cref="StableIndices"/>, else 0.</summary>
    public static ReadOnlySpan<float> StableWeights => StableWeightArray;

    /// <summary>
    /// Aligns a face to the canonical frame on its stable points and writes all 68 aligned points to
    /// <paramref name="normalisedOut"/> (which may be <paramref name="pts"/> itself).
    /// </summary>
    /// <returns>The image → canonical similarity; its <see cref="SimilarityTransform.Inverse"/> maps back.</returns>
    public static SimilarityTransform Normalise(ReadOnlySpan<float> pts, Span<float> normalisedOut)
    {
        Landmarks68.RequireFace(pts);
        var face = pts[..Landmarks68.FloatCount];
        var toCanonical = SimilarityTransform.Estimate(face, Points, StableWeights);
        toCanonical.Apply(face, normalisedOut);
        return toCanonical;
    }

    private static float[] BuildStableWeights()
    {
        var weights = new float[Landmarks68.PointCount];
        foreach (var i in StableIndices)
        {
            weights[i] = 1f;
        }

        return weights;
    }
}
