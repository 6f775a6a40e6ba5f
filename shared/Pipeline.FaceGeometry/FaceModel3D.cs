namespace Pipeline.FaceGeometry;

/// <summary>
/// A generic 68-point 3D face (same order as <see cref="Landmarks68"/>) in millimetres, for PnP head pose.
/// Axes as a camera sees a frontal, upright face: x to the image's right (the subject's left), y down,
/// z into the head, away from the camera. The origin is the midpoint between the outer eye corners (36, 45),
/// at their depth, so protruding points such as the nose tip have negative z.
/// </summary>
/// <remarks>
/// Constructed, not measured. Published 68-point models were looked for first and none had clear terms:
/// the widely copied table in yinguobing/head-pose-estimation (an MIT repository) is, by its README,
/// OpenFace's In-the-wild_aligned_PDM_68.txt, which is under OpenFace's academic, non-commercial licence;
/// the FaceModel68 table in hysts/pytorch_mpiigaze_demo gives no source for its numbers; Basel Face Model
/// landmarks need the BFM's own registration-only licence. Instead:
/// <list type="bullet">
/// <item>x, y: <see cref="CanonicalFace.Points"/> (dlib's CC0 mean of the hand-labelled iBUG 300-W faces)
/// scaled so the outer eye corners are <see cref="OuterEyeCornerDistanceMm"/> apart. 90 mm is the adult
/// mean exocanthion width (about 88 mm for women, 91 mm for men in Farkas' norms); the 65 mm often quoted
/// is the distance between the pupils, which would make the face, and every estimated distance, ~28% small.</item>
/// <item>z: a per-point protrusion in front of the outer eye corners, from typical adult profile
/// proportions (nose tip ~32 mm forward, inner eye corners ~12 mm, lips ~18-21 mm at the midline and
/// ~6 mm at the corners, chin ~4 mm; the jaw contour sits 30-45 mm behind).</item>
/// </list>
/// It is approximate: a real face differs by several millimetres in depth, which costs a few degrees of
/// absolute yaw and pitch (a constant bias per person). Frame-to-frame changes are far more precise than
/// that. The jaw contour (0-7, 9-16) is a silhouette, not a fixed point on the skin, so it slides round the
/// head as it turns; <see cref="HeadPoseEstimator"/> leaves it out by default.
/// </remarks>
public static class FaceModel3D
{
    public const float OuterEyeCornerDistanceMm = 90f;

    /// <summary>
    /// How far each landmark stands in front of the outer eye corners, in mm (positive = towards the camera
    /// in a frontal view). The model's z is the negative of this.
    /// </summary>
    public static ReadOnlySpan<float> ProtrusionMm =>
    [
        // jaw 0-16: temple/cheek contour, back around the mandible angle, forward to the chin (8)
        -38, -42, -44, -41, -33, -22, -11, -2, 4, -2, -11, -22, -33, -41, -44, -42, -38,
        // right brow 17-21 (outer to inner), left brow 22-26 (inner to outer): the brow ridge is forward medially
        3, 10, 15, 18, 19, 19, 18, 15, 10, 3,
        // nose bridge 27-30 (sellion to tip), nose base 31-35 (right nostril, subnasale 33, left nostril)
        16, 21, 26, 32, 16, 19, 20, 19, 16,
        // right eye 36-41: outer corner, upper lid, inner corner, lower lid; left eye 42-47 mirrors it
        0, 9, 12, 12, 12, 9,
        12, 12, 9, 0, 9, 12,
        // outer lip 48-59: right corner, upper lip to the left corner (54), lower lip back
        6, 14, 19, 21, 19, 14, 6, 14, 18, 18, 18, 14,
        // inner lip 60-67: right corner, upper inner lip, left corner, lower inner lip
        8, 17, 18, 17, 8, 16, 17, 16,
    ];

    private static readonly float[] PointArray = Build();

    /// <summary>The 68 model points, interleaved x, y, z in mm (204 floats).</summary>
    public static ReadOnlySpan<float> Points => PointArray;

    private static float[] Build()
    {
        var canonical = CanonicalFace.Points;
        var protrusion = ProtrusionMm;
        var points = new float[3 * Landmarks68.PointCount];
        for (var i = 0; i < Landmarks68.PointCount; i++)
        {
            points[3 * i] = canonical[2 * i] * OuterEyeCornerDistanceMm;
            points[3 * i + 1] = canonical[2 * i + 1] * OuterEyeCornerDistanceMm;
            points[3 * i + 2] = -protrusion[i];
        }

        return points;
    }
}
