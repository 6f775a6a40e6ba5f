namespace Pipeline.FaceGeometry;

/// <summary>
/// A rigid head pose: the rotation and translation that take <see cref="FaceModel3D"/> points (mm) into
/// camera space (x right, y down, z away from the camera).
/// </summary>
/// <remarks>
/// Angle convention: R = Rz(roll)·Ry(yaw)·Rx(pitch) about the camera axes, and all zero for a face
/// looking straight into the camera, upright.
/// <list type="bullet">
/// <item><b>Yaw</b> positive: the face turns towards the image's left (the subject turns to their own right);
/// the nose tip moves left in the image.</item>
/// <item><b>Pitch</b> positive: the head nods down; the nose tip moves down in the image.</item>
/// <item><b>Roll</b> positive: the head tilts clockwise as seen in the image (the subject's left eye, on the
/// image's right, goes down).</item>
/// </list>
/// The angles are relative to the optical axis, not to the line of sight to the head: a frontal face far off
/// the image centre reads a few degrees of yaw or pitch.
/// </remarks>
/// <param name="YawDegrees">Rotation about the camera's y axis (down), see remarks.</param>
/// <param name="PitchDegrees">Rotation about the camera's x axis (right).</param>
/// <param name="RollDegrees">Rotation about the optical axis.</param>
/// <param name="RotationX">Rodrigues rotation vector (radians), x component: the same rotation as the angles.</param>
/// <param name="RotationY">Rodrigues rotation vector, y component.</param>
/// <param name="RotationZ">Rodrigues rotation vector, z component.</param>
/// <param name="TranslationX">Camera-space position (mm) of the model origin, the midpoint between the outer eye corners.</param>
/// <param name="TranslationY">See <paramref name="TranslationX"/>.</param>
/// <param name="TranslationZ">Distance along the optical axis (mm); only as right as the model's size and the focal length.</param>
/// <param name="RmsReprojectionErrorPx">Root mean square of the per-point distance between the observed and reprojected landmarks.</param>
/// <param name="Iterations">Levenberg–Marquardt iterations taken (0 for a pose built from angles).</param>
public readonly record struct HeadPose(
    double YawDegrees,
    double PitchDegrees,
    double RollDegrees,
    double RotationX,
    double RotationY,
    double RotationZ,
    double TranslationX,
    double TranslationY,
    double TranslationZ,
    double RmsReprojectionErrorPx,
    int Iterations)
{
    /// <summary>A pose from angles (degrees, convention in the remarks) and a translation (mm).</summary>
    public static HeadPose FromAngles(double yawDegrees, double pitchDegrees, double rollDegrees, double tx, double ty, double tz)
    {
        Span<double> r = stackalloc double[9];
        Rotation3.FromEuler(yawDegrees * DegToRad, pitchDegrees * DegToRad, rollDegrees * DegToRad, r);
        var (wx, wy, wz) = Rotation3.ToVector(r);
        return new HeadPose(yawDegrees, pitchDegrees, rollDegrees, wx, wy, wz, tx, ty, tz, 0, 0);
    }

    /// <summary>The model → camera rotation matrix, row-major, into nine doubles.</summary>
    public void WriteRotationMatrix(Span<double> matrix3x3)
    {
        if (matrix3x3.Length < 9)
        {
            throw new ArgumentException("a 3x3 matrix needs 9 elements", nameof(matrix3x3));
        }

        Rotation3.FromVector(RotationX, RotationY, RotationZ, matrix3x3);
    }

    /// <summary>
    /// Projects model points (interleaved x, y, z in mm; <see cref="FaceModel3D.Points"/> by default) through
    /// <paramref name="camera"/> into interleaved pixel coordinates.
    /// </summary>
    public void Project(PinholeCamera camera, Span<float> imageOut, ReadOnlySpan<float> model3D = default)
    {
        var model = model3D.IsEmpty ? FaceModel3D.Points : model3D;
        if (model.Length % 3 != 0)
        {
            throw new ArgumentException($"expected interleaved x,y,z triples, got {model.Length} floats", nameof(model3D));
        }

        var n = model.Length / 3;
        if (imageOut.Length < 2 * n)
        {
            throw new ArgumentException($"destination holds {imageOut.Length} floats, {2 * n} needed", nameof(imageOut));
        }

        Span<double> r = stackalloc double[9];
        WriteRotationMatrix(r);
        for (var i = 0; i < n; i++)
        {
            double x = model[3 * i], y = model[3 * i + 1], z = model[3 * i + 2];
            var cx = r[0] * x + r[1] * y + r[2] * z + TranslationX;
            var cy = r[3] * x + r[4] * y + r[5] * z + TranslationY;
            var cz = r[6] * x + r[7] * y + r[8] * z + TranslationZ;
            var (u, v) = camera.Project(cx, cy, cz);
            imageOut[2 * i] = (float)u;
            imageOut[2 * i + 1] = (float)v;
        }
    }

    private const double DegToRad = Math.PI / 180;
}
