namespace Pipeline.FaceGeometry;

/// <summary>
/// The 68-point iBUG 300-W / dlib landmark layout and the few measurements every stage needs.
/// "Right" and "left" are the subject's: the right eye (36-41) is on the image's left in a frontal view.
/// Coordinates are interleaved floats, <c>[x0, y0, x1, y1, ...]</c>, <see cref="FloatCount"/> per face.
/// </summary>
public static class Landmarks68
{
    public const int PointCount = 68;
    public const int FloatCount = 2 * PointCount;

    public static readonly LandmarkRange Jaw = new(0, 17);
    public static readonly LandmarkRange RightBrow = new(17, 5);
    public static readonly LandmarkRange LeftBrow = new(22, 5);
    public static readonly LandmarkRange Brows = new(17, 10);
    public static readonly LandmarkRange NoseBridge = new(27, 4);
    public static readonly LandmarkRange NoseBase = new(31, 5);
    public static readonly LandmarkRange Nose = new(27, 9);
    public static readonly LandmarkRange RightEye = new(36, 6);
    public static readonly LandmarkRange LeftEye = new(42, 6);
    public static readonly LandmarkRange Eyes = new(36, 12);
    public static readonly LandmarkRange OuterLip = new(48, 12);
    public static readonly LandmarkRange InnerLip = new(60, 8);
    public static readonly LandmarkRange Mouth = new(48, 20);

    public const int JawRight = 0;
    public const int Chin = 8;
    public const int JawLeft = 16;
    public const int RightBrowOuter = 17;
    public const int RightBrowInner = 21;
    public const int LeftBrowInner = 22;
    public const int LeftBrowOuter = 26;
    public const int NoseBridgeTop = 27;
    public const int NoseTip = 30;
    public const int NostrilRight = 31;
    public const int Subnasale = 33;
    public const int NostrilLeft = 35;
    public const int RightEyeOuter = 36;
    public const int RightEyeInner = 39;
    public const int LeftEyeInner = 42;
    public const int LeftEyeOuter = 45;

    // Subject's sides, like the eyes: 48 is the corner on the image's left in a frontal view.
    public const int MouthRight = 48;
    public const int UpperLipTop = 51;
    public const int MouthLeft = 54;
    public const int LowerLipBottom = 57;
    public const int InnerMouthRight = 60;
    public const int InnerUpperLipCenter = 62;
    public const int InnerMouthLeft = 64;
    public const int InnerLowerLipCenter = 66;

    /// <summary>
    /// For each landmark, the landmark that takes its place when the face is mirrored left-right
    /// (the jaw, brows, nostrils, eyes and lips swap sides; the midline maps to itself).
    /// </summary>
    public static ReadOnlySpan<byte> Mirror =>
    [
        16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
        26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
        27, 28, 29, 30, 35, 34, 33, 32, 31,
        45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40,
        54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55,
        64, 63, 62, 61, 60, 67, 66, 65,
    ];

    /// <summary>
    /// Distance between the outer eye corners (36 and 45): the usual normaliser for landmark errors
    /// and mouth measurements, because it barely changes with expression or speech.
    /// </summary>
    public static float InterOcular(ReadOnlySpan<float> pts)
    {
        RequireFace(pts);
        var dx = pts[2 * LeftEyeOuter] - pts[2 * RightEyeOuter];
        var dy = pts[2 * LeftEyeOuter + 1] - pts[2 * RightEyeOuter + 1];
        return MathF.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>
    /// Mean gap between the inner lips (pairs 61-67, 62-66, 63-65) over the inter-ocular distance.
    /// The gap is measured along the face's own vertical (perpendicular to the eye line), so head roll
    /// does not shrink it, and it stays signed, so lips that the tracker overlaps read slightly negative
    /// instead of being folded into a false opening.
    /// </summary>
    public static float MouthOpening(ReadOnlySpan<float> pts)
    {
        RequireFace(pts);
        var ex = pts[2 * LeftEyeOuter] - pts[2 * RightEyeOuter];
        var ey = pts[2 * LeftEyeOuter + 1] - pts[2 * RightEyeOuter + 1];
        var iod = MathF.Sqrt(ex * ex + ey * ey);
        if (iod <= 0f)
        {
            return 0f;
        }

        // Unit vector pointing down the face: the eye direction turned +90 degrees (y grows downwards).
        var nx = -ey / iod;
        var ny = ex / iod;
        var gap = Gap(pts, 61, 67, nx, ny) + Gap(pts, 62, 66, nx, ny) + Gap(pts, 63, 65, nx, ny);
        return gap / (3f * iod);
    }

    /// <summary>Bounding box of any number of interleaved points (at least one).</summary>
    public static PointBounds Bounds(ReadOnlySpan<float> pts)
    {
        if (pts.Length < 2 || pts.Length % 2 != 0)
        {
            throw new ArgumentException($"expected interleaved x,y pairs, got {pts.Length} floats", nameof(pts));
        }

        float minX = pts[0], maxX = pts[0], minY = pts[1], maxY = pts[1];
        for (var i = 2; i < pts.Length; i += 2)
        {
            minX = MathF.Min(minX, pts[i]);
            maxX = MathF.Max(maxX, pts[i]);
            minY = MathF.Min(minY, pts[i + 1]);
            maxY = MathF.Max(maxY, pts[i + 1]);
        }

        return new PointBounds(minX, minY, maxX, maxY);
    }

    internal static void RequireFace(ReadOnlySpan<float> pts, string name = "pts")
    {
        if (pts.Length < FloatCount)
        {
            throw new ArgumentException($"a face needs {FloatCount} floats (68 interleaved x,y), got {pts.Length}", name);
        }
    }

    private static float Gap(ReadOnlySpan<float> pts, int upper, int lower, float nx, float ny) =>
        (pts[2 * lower] - pts[2 * upper]) * nx + (pts[2 * lower + 1] - pts[2 * upper + 1]) * ny;
}
