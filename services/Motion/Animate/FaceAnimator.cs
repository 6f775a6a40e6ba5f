using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Animate;

/// <summary>
/// Puts animate mode's blinks and head pose onto canonical faces: closes the eyelids in the canonical frame, then places
/// each face in the image by turning a 3D face with the trajectory's pose and projecting it.
/// </summary>
public static class FaceAnimator
{
    /// <summary>
    /// Typical dlib detector box width in inter-ocular distances (the starting value of the tracker's
    /// <c>LandmarkBoxModel</c>): <c>faceWidthPx</c> is read as such a box's width, so the inter-ocular distance of a
    /// frontal face placed by <see cref="Pose"/> is <c>faceWidthPx / 2.3</c> pixels.
    /// </summary>
    public const double FaceWidthInInterOculars = 2.3;

    /// <summary>
    /// Where the lids meet, as a fraction of the open eye's height above the lower lid: in a blink the upper lid does
    /// nearly all the travel and the lower lid rises only a millimetre or two.
    /// </summary>
    public const float LowerLidShare = 0.15f;

    // Upper-lid point, and the lower-lid point below it, of each eye: 37 over 41 and 38 over 40 (the subject's right
    // eye), 43 over 47 and 44 over 46 (left).
    private static ReadOnlySpan<byte> UpperLid => [37, 38, 43, 44];
    private static ReadOnlySpan<byte> LowerLid => [41, 40, 47, 46];

    /// <summary>
    /// Closes the eyes of <paramref name="frames"/> canonical faces in place by the closure in <paramref name="blink"/>
    /// (0 open: the face is left untouched; 1 closed: upper and lower lid points meet; values outside [0, 1] are clamped).
    /// </summary>
    public static void Apply(Span<float> faces136, int frames, ReadOnlySpan<float> blink)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (faces136.Length < frames * Landmarks68.FloatCount)
        {
            throw new ArgumentException($"{frames} faces need {frames * Landmarks68.FloatCount} floats, got {faces136.Length}", nameof(faces136));
        }

        if (blink.Length < frames)
        {
            throw new ArgumentException($"{frames} frames need {frames} closures, got {blink.Length}", nameof(blink));
        }

        var upper = UpperLid;
        var lower = LowerLid;
        for (var f = 0; f < frames; f++)
        {
            // Written so NaN counts as open: a bad value must not move points.
            var closure = blink[f] > 0f ? MathF.Min(1f, blink[f]) : 0f;
            if (closure == 0f)
            {
                continue;
            }

            var face = faces136.Slice(f * Landmarks68.FloatCount, Landmarks68.FloatCount);
            for (var p = 0; p < upper.Length; p++)
            {
                for (var axis = 0; axis < 2; axis++)
                {
                    ref var top = ref face[2 * upper[p] + axis];
                    ref var bottom = ref face[2 * lower[p] + axis];
                    var meet = bottom + LowerLidShare * (top - bottom);
                    top += closure * (meet - top);
                    bottom += closure * (meet - bottom);
                }
            }
        }
    }

    /// <summary>
    /// Places one canonical face into an image with one frame of a <see cref="PoseTrajectory"/>: the face's x, y
    /// (scaled to mm by <see cref="FaceModel3D.OuterEyeCornerDistanceMm"/>) with <see cref="FaceModel3D"/>'s depth per
    /// point, turned by yaw, pitch and roll (<see cref="HeadPose"/>'s convention) about the eye-corner midpoint, and
    /// projected through <see cref="PinholeCamera.ForImage"/>.
    /// </summary>
    /// <remarks>
    /// The head stands at the distance where a frontal face's inter-ocular distance is
    /// <c>faceWidthPx / <see cref="FaceWidthInInterOculars"/></c> pixels times the pose's scale, with its eye
    /// midpoint at (<paramref name="centreX"/>, <paramref name="centreY"/>) moved by tx, ty inter-ocular distances
    /// (unscaled). At zero angles both hold exactly; turned, the face foreshortens and the eyes move as a real head's
    /// would, because it turns about the eyes' midpoint rather than the neck.
    /// </remarks>
    /// <param name="canonical136">One face in the canonical frame (68 interleaved x, y).</param>
    /// <param name="pose6">yaw, pitch, roll (degrees), tx, ty (inter-ocular units), scale: one row of a trajectory.</param>
    /// <param name="imageWidth">Image width in pixels (sets the camera).</param>
    /// <param name="imageHeight">Image height in pixels.</param>
    /// <param name="faceWidthPx">Width of the face's detector-style box in pixels.</param>
    /// <param name="centreX">Image x of the eye midpoint at rest.</param>
    /// <param name="centreY">Image y of the eye midpoint at rest.</param>
    /// <param name="image136">Destination: 68 interleaved pixel positions.</param>
    public static void Pose(
        ReadOnlySpan<float> canonical136,
        ReadOnlySpan<float> pose6,
        int imageWidth,
        int imageHeight,
        double faceWidthPx,
        double centreX,
        double centreY,
        Span<float> image136)
    {
        if (canonical136.Length < Landmarks68.FloatCount)
        {
            throw new ArgumentException($"a face needs {Landmarks68.FloatCount} floats, got {canonical136.Length}", nameof(canonical136));
        }

        if (pose6.Length < PoseTrajectory.Channels)
        {
            throw new ArgumentException($"a pose needs {PoseTrajectory.Channels} floats, got {pose6.Length}", nameof(pose6));
        }

        if (image136.Length < Landmarks68.FloatCount)
        {
            throw new ArgumentException($"destination holds {image136.Length} floats, {Landmarks68.FloatCount} needed", nameof(image136));
        }

        if (!(faceWidthPx > 0 && double.IsFinite(faceWidthPx)))
        {
            throw new ArgumentOutOfRangeException(nameof(faceWidthPx), faceWidthPx, "the face width must be positive and finite");
        }

        double scale = pose6[PoseTrajectory.Scale];
        if (!(scale > 0 && double.IsFinite(scale)))
        {
            throw new ArgumentOutOfRangeException(nameof(pose6), scale, "the pose's scale must be positive and finite");
        }

        var camera = PinholeCamera.ForImage(imageWidth, imageHeight);
        var interOcularPx = faceWidthPx / FaceWidthInInterOculars;
        // A frontal pair of points 90 mm apart at depth z spans f·90/z pixels: solve for z.
        var depthMm = camera.FocalPx * FaceModel3D.OuterEyeCornerDistanceMm / (interOcularPx * scale);
        var targetX = centreX + pose6[PoseTrajectory.TranslationX] * interOcularPx;
        var targetY = centreY + pose6[PoseTrajectory.TranslationY] * interOcularPx;
        var pose = HeadPose.FromAngles(
            pose6[PoseTrajectory.Yaw],
            pose6[PoseTrajectory.Pitch],
            pose6[PoseTrajectory.Roll],
            (targetX - camera.Cx) * depthMm / camera.FocalPx,
            (targetY - camera.Cy) * depthMm / camera.FocalPx,
            depthMm);

        Span<float> model = stackalloc float[3 * Landmarks68.PointCount];
        var depth = FaceModel3D.Points;
        for (var i = 0; i < Landmarks68.PointCount; i++)
        {
            model[3 * i] = canonical136[2 * i] * FaceModel3D.OuterEyeCornerDistanceMm;
            model[3 * i + 1] = canonical136[2 * i + 1] * FaceModel3D.OuterEyeCornerDistanceMm;
            model[3 * i + 2] = depth[3 * i + 2];
        }

        pose.Project(camera, image136, model);
    }
}
