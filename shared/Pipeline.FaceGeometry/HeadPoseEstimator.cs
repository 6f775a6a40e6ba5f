namespace Pipeline.FaceGeometry;

/// <summary>
/// Head pose from 2D landmarks by Perspective-n-Point against <see cref="FaceModel3D"/> (or a given model):
/// a closed-form scaled-orthographic (weak perspective) start, then Levenberg–Marquardt on the six pose
/// parameters (rotation vector and translation) minimising the squared pixel reprojection error.
/// </summary>
/// <remarks>
/// The instance is the workspace: it holds the chosen model points and buffers, so <see cref="Estimate"/>
/// allocates nothing. It is not thread-safe; use one estimator per thread.
/// <para>
/// Why this start: weak perspective has a closed form (a linear fit of an affine camera), is close to the
/// truth for a face, whose depth is small against its distance, and needs no previous frame, so every frame
/// converges on its own from frontal-ish to ±60° yaw without tracking state that could drift.
/// </para>
/// </remarks>
public sealed class HeadPoseEstimator
{
    /// <summary>
    /// Points with a fixed place on the skull or nearly so: brows, nose, eyes, mouth corners and chin. The jaw
    /// contour is left out because it is a silhouette that slides with yaw; the lips because they move with speech.
    /// </summary>
    public static ReadOnlySpan<byte> DefaultIndices =>
    [
        8,
        17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
        27, 28, 29, 30, 31, 32, 33, 34, 35,
        36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
        48, 54,
    ];

    private readonly int[] _indices;
    private readonly double[] _model;      // chosen model points, x,y,z (mm)
    private readonly double[] _centred;    // the same, minus their centroid
    private readonly double[] _observed;   // normalised image coordinates ((u - cx) / f, (v - cy) / f)
    private readonly double _meanX, _meanY, _meanZ;
    private readonly double[] _affineInverse = new double[9]; // (Σ XcXcᵀ)⁻¹ for the weak-perspective fit

    /// <summary>Uses <see cref="DefaultIndices"/> and <see cref="FaceModel3D"/>.</summary>
    public HeadPoseEstimator()
        : this(ToInts(DefaultIndices))
    {
    }

    /// <param name="landmarkIndices">Which of the 68 landmarks to fit (at least 6, not all coplanar).</param>
    /// <param name="model3D">68 model points, interleaved x, y, z in mm; empty means <see cref="FaceModel3D.Points"/>.</param>
    public HeadPoseEstimator(ReadOnlySpan<int> landmarkIndices, ReadOnlySpan<float> model3D = default)
    {
        var model = model3D.IsEmpty ? FaceModel3D.Points : model3D;
        if (model.Length != 3 * Landmarks68.PointCount)
        {
            throw new ArgumentException($"the model needs {3 * Landmarks68.PointCount} floats (68 x,y,z), got {model.Length}", nameof(model3D));
        }

        if (landmarkIndices.Length < 6)
        {
            throw new ArgumentException("PnP with a 3D model needs at least 6 landmarks", nameof(landmarkIndices));
        }

        _indices = landmarkIndices.ToArray();
        var n = _indices.Length;
        _model = new double[3 * n];
        _centred = new double[3 * n];
        _observed = new double[2 * n];
        for (var k = 0; k < n; k++)
        {
            var i = _indices[k];
            if ((uint)i >= Landmarks68.PointCount)
            {
                throw new ArgumentOutOfRangeException(nameof(landmarkIndices), i, "landmark indices run 0-67");
            }

            for (var d = 0; d < 3; d++)
            {
                _model[3 * k + d] = model[3 * i + d];
            }
        }

        for (var k = 0; k < n; k++)
        {
            _meanX += _model[3 * k] / n;
            _meanY += _model[3 * k + 1] / n;
            _meanZ += _model[3 * k + 2] / n;
        }

        Span<double> scatter = stackalloc double[9];
        for (var k = 0; k < n; k++)
        {
            _centred[3 * k] = _model[3 * k] - _meanX;
            _centred[3 * k + 1] = _model[3 * k + 1] - _meanY;
            _centred[3 * k + 2] = _model[3 * k + 2] - _meanZ;
            for (var a = 0; a < 3; a++)
            {
                for (var b = 0; b < 3; b++)
                {
                    scatter[3 * a + b] += _centred[3 * k + a] * _centred[3 * k + b];
                }
            }
        }

        if (!Invert3(scatter, _affineInverse))
        {
            throw new ArgumentException("the chosen model points are coplanar: weak perspective cannot be started from them", nameof(landmarkIndices));
        }
    }

    /// <summary>Landmark indices this estimator fits.</summary>
    public ReadOnlySpan<int> Indices => _indices;

    /// <summary>Upper bound on Levenberg–Marquardt iterations; it usually stops well before (≈5-10).</summary>
    public int MaxIterations { get; init; } = 50;

    /// <summary>Pose of a face in an image of the given size, with <see cref="PinholeCamera.ForImage"/>'s camera.</summary>
    public HeadPose Estimate(ReadOnlySpan<float> landmarks68, int imageWidth, int imageHeight) =>
        Estimate(landmarks68, PinholeCamera.ForImage(imageWidth, imageHeight));

    /// <summary>Pose of the face whose 68 landmarks (pixels, interleaved) are given.</summary>
    public HeadPose Estimate(ReadOnlySpan<float> landmarks68, PinholeCamera camera)
    {
        Landmarks68.RequireFace(landmarks68, nameof(landmarks68));
        if (!(camera.FocalPx > 0))
        {
            throw new ArgumentException("the focal length must be positive", nameof(camera));
        }

        var n = _indices.Length;
        var inverseFocal = 1 / camera.FocalPx;
        for (var k = 0; k < n; k++)
        {
            var i = _indices[k];
            _observed[2 * k] = (landmarks68[2 * i] - camera.Cx) * inverseFocal;
            _observed[2 * k + 1] = (landmarks68[2 * i + 1] - camera.Cy) * inverseFocal;
        }

        Span<double> r = stackalloc double[9];
        Span<double> t = stackalloc double[3];
        WeakPerspective(r, t);

        var (cost, iterations) = Refine(r, t);

        var (yaw, pitch, roll) = Rotation3.ToEuler(r);
        var (wx, wy, wz) = Rotation3.ToVector(r);
        var rms = camera.FocalPx * Math.Sqrt(cost / n);
        const double toDegrees = 180 / Math.PI;
        return new HeadPose(yaw * toDegrees, pitch * toDegrees, roll * toDegrees, wx, wy, wz, t[0], t[1], t[2], rms, iterations);
    }

    /// <summary>
    /// Scaled orthographic start: fit the affine camera x − x̄ = m₁·Xc, y − ȳ = m₂·Xc in least squares, take
    /// the nearest pair of orthonormal rows as the first two rows of R, their mean length as 1/depth.
    /// </summary>
    private void WeakPerspective(Span<double> r, Span<double> t)
    {
        var n = _indices.Length;
        double meanU = 0, meanV = 0;
        for (var k = 0; k < n; k++)
        {
            meanU += _observed[2 * k];
            meanV += _observed[2 * k + 1];
        }

        meanU /= n;
        meanV /= n;

        // Σ Xc·(u − ū) and Σ Xc·(v − v̄)
        double bu0 = 0, bu1 = 0, bu2 = 0, bv0 = 0, bv1 = 0, bv2 = 0;
        for (var k = 0; k < n; k++)
        {
            var du = _observed[2 * k] - meanU;
            var dv = _observed[2 * k + 1] - meanV;
            double x = _centred[3 * k], y = _centred[3 * k + 1], z = _centred[3 * k + 2];
            bu0 += x * du;
            bu1 += y * du;
            bu2 += z * du;
            bv0 += x * dv;
            bv1 += y * dv;
            bv2 += z * dv;
        }

        var m = _affineInverse;
        double m10 = m[0] * bu0 + m[1] * bu1 + m[2] * bu2;
        double m11 = m[3] * bu0 + m[4] * bu1 + m[5] * bu2;
        double m12 = m[6] * bu0 + m[7] * bu1 + m[8] * bu2;
        double m20 = m[0] * bv0 + m[1] * bv1 + m[2] * bv2;
        double m21 = m[3] * bv0 + m[4] * bv1 + m[5] * bv2;
        double m22 = m[6] * bv0 + m[7] * bv1 + m[8] * bv2;

        var l1 = Math.Sqrt(m10 * m10 + m11 * m11 + m12 * m12);
        var l2 = Math.Sqrt(m20 * m20 + m21 * m21 + m22 * m22);
        var scale = 0.5 * (l1 + l2);
        if (!(l1 > 0) || !(l2 > 0) || !double.IsFinite(scale))
        {
            // Every landmark on one spot: no information. Start frontal at a plausible distance instead.
            Rotation3.FromEuler(0, 0, 0, r);
            t[0] = meanU * 600;
            t[1] = meanV * 600;
            t[2] = 600;
            return;
        }

        // Nearest orthonormal pair: rotate the two unit rows symmetrically about their bisector.
        double a0 = m10 / l1, a1 = m11 / l1, a2 = m12 / l1;
        double b0 = m20 / l2, b1 = m21 / l2, b2 = m22 / l2;
        double s0 = a0 + b0, s1 = a1 + b1, s2 = a2 + b2;
        double d0 = a0 - b0, d1 = a1 - b1, d2 = a2 - b2;
        var ls = Math.Sqrt(s0 * s0 + s1 * s1 + s2 * s2);
        var ld = Math.Sqrt(d0 * d0 + d1 * d1 + d2 * d2);
        s0 /= ls;
        s1 /= ls;
        s2 /= ls;
        d0 /= ld;
        d1 /= ld;
        d2 /= ld;
        var h = Math.Sqrt(0.5);
        r[0] = h * (s0 + d0);
        r[1] = h * (s1 + d1);
        r[2] = h * (s2 + d2);
        r[3] = h * (s0 - d0);
        r[4] = h * (s1 - d1);
        r[5] = h * (s2 - d2);
        r[6] = r[1] * r[5] - r[2] * r[4];
        r[7] = r[2] * r[3] - r[0] * r[5];
        r[8] = r[0] * r[4] - r[1] * r[3];

        // The model centroid sits at depth 1/scale on the ray through the image centroid.
        var depth = 1 / scale;
        t[0] = meanU * depth - (r[0] * _meanX + r[1] * _meanY + r[2] * _meanZ);
        t[1] = meanV * depth - (r[3] * _meanX + r[4] * _meanY + r[5] * _meanZ);
        t[2] = depth - (r[6] * _meanX + r[7] * _meanY + r[8] * _meanZ);
    }

    /// <summary>
    /// Levenberg–Marquardt in normalised image units. The rotation is updated on the left,
    /// R ← exp([δω]ₓ)·R, so the Jacobian is simple and exact and no Euler singularity can be hit;
    /// the result is the same minimum as over a Rodrigues vector. Returns the final sum of squares.
    /// </summary>
    private (double Cost, int Iterations) Refine(Span<double> r, Span<double> t)
    {
        Span<double> jtj = stackalloc double[36];
        Span<double> jtr = stackalloc double[6];
        Span<double> system = stackalloc double[36];
        Span<double> step = stackalloc double[6];
        Span<double> delta = stackalloc double[9];
        Span<double> trialR = stackalloc double[9];
        Span<double> trialT = stackalloc double[3];

        var cost = Cost(r, t);
        var lambda = 1e-3;
        var iterations = 0;
        while (iterations < MaxIterations)
        {
            iterations++;
            NormalEquations(r, t, jtj, jtr);
            var improved = false;
            var converged = false;
            while (lambda < 1e8)
            {
                jtj.CopyTo(system);
                for (var d = 0; d < 6; d++)
                {
                    // Marquardt's scaling: damp each parameter by its own curvature (rotation and mm differ in units).
                    system[7 * d] += lambda * Math.Max(jtj[7 * d], 1e-12);
                    step[d] = -jtr[d];
                }

                if (!SolveCholesky6(system, step))
                {
                    lambda *= 10;
                    continue;
                }

                Rotation3.FromVector(step[0], step[1], step[2], delta);
                Rotation3.Multiply(delta, r, trialR);
                trialT[0] = t[0] + step[3];
                trialT[1] = t[1] + step[4];
                trialT[2] = t[2] + step[5];
                var trialCost = Cost(trialR, trialT);
                if (trialCost < cost)
                {
                    // Near the minimum the cost falls quadratically; once a step gains less than a part in
                    // 1e9 the angles are settled to micro-degrees, and another round would only spin λ up
                    // through rejected steps. An exact fit (synthetic data) stops on the absolute test.
                    converged = trialCost < 1e-22
                        || cost - trialCost <= 1e-9 * cost
                        || StepIsNegligible(step, trialT[2]);
                    trialR.CopyTo(r);
                    trialT.CopyTo(t);
                    cost = trialCost;
                    lambda = Math.Max(lambda * 0.1, 1e-9);
                    improved = true;
                    break;
                }

                lambda *= 10;
            }

            if (!improved || converged)
            {
                break;
            }
        }

        return (cost, iterations);
    }

    private static bool StepIsNegligible(ReadOnlySpan<double> step, double depth)
    {
        var rotation = Math.Abs(step[0]) + Math.Abs(step[1]) + Math.Abs(step[2]);
        var translation = Math.Abs(step[3]) + Math.Abs(step[4]) + Math.Abs(step[5]);
        return rotation < 1e-10 && translation < 1e-10 * Math.Max(Math.Abs(depth), 1);
    }

    private double Cost(ReadOnlySpan<double> r, ReadOnlySpan<double> t)
    {
        var n = _indices.Length;
        double sum = 0;
        for (var k = 0; k < n; k++)
        {
            double x = _model[3 * k], y = _model[3 * k + 1], z = _model[3 * k + 2];
            var pz = r[6] * x + r[7] * y + r[8] * z + t[2];
            if (!(pz > 1e-6))
            {
                return double.PositiveInfinity; // behind the camera: never an acceptable step
            }

            var px = r[0] * x + r[1] * y + r[2] * z + t[0];
            var py = r[3] * x + r[4] * y + r[5] * z + t[1];
            var eu = px / pz - _observed[2 * k];
            var ev = py / pz - _observed[2 * k + 1];
            sum += eu * eu + ev * ev;
        }

        return sum;
    }

    /// <summary>JᵀJ (upper and lower) and Jᵀr for parameters (δω, δt) at the current pose.</summary>
    private void NormalEquations(ReadOnlySpan<double> r, ReadOnlySpan<double> t, Span<double> jtj, Span<double> jtr)
    {
        jtj.Clear();
        jtr.Clear();
        Span<double> ju = stackalloc double[6];
        Span<double> jv = stackalloc double[6];
        var n = _indices.Length;
        for (var k = 0; k < n; k++)
        {
            double x = _model[3 * k], y = _model[3 * k + 1], z = _model[3 * k + 2];
            var qx = r[0] * x + r[1] * y + r[2] * z;
            var qy = r[3] * x + r[4] * y + r[5] * z;
            var qz = r[6] * x + r[7] * y + r[8] * z;
            double px = qx + t[0], py = qy + t[1], pz = qz + t[2];
            var iz = 1 / pz;
            double u = px * iz, v = py * iz;
            var eu = u - _observed[2 * k];
            var ev = v - _observed[2 * k + 1];

            // ∂P/∂δω = −[Q]ₓ; ∂u/∂P = (1, 0, −u)/Pz; ∂v/∂P = (0, 1, −v)/Pz.
            ju[0] = iz * (0 - u * qy);
            ju[1] = iz * (qz + u * qx);
            ju[2] = iz * (-qy);
            ju[3] = iz;
            ju[4] = 0;
            ju[5] = -u * iz;
            jv[0] = iz * (-qz - v * qy);
            jv[1] = iz * (v * qx);
            jv[2] = iz * qx;
            jv[3] = 0;
            jv[4] = iz;
            jv[5] = -v * iz;

            for (var a = 0; a < 6; a++)
            {
                jtr[a] += ju[a] * eu + jv[a] * ev;
                for (var b = a; b < 6; b++)
                {
                    jtj[6 * a + b] += ju[a] * ju[b] + jv[a] * jv[b];
                }
            }
        }

        for (var a = 0; a < 6; a++)
        {
            for (var b = 0; b < a; b++)
            {
                jtj[6 * a + b] = jtj[6 * b + a];
            }
        }
    }

    /// <summary>Solves the symmetric positive-definite 6x6 system in place (a is overwritten, b becomes x).</summary>
    private static bool SolveCholesky6(Span<double> a, Span<double> b)
    {
        for (var j = 0; j < 6; j++)
        {
            var diagonal = a[7 * j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= a[6 * j + k] * a[6 * j + k];
            }

            if (!(diagonal > 0))
            {
                return false;
            }

            var l = Math.Sqrt(diagonal);
            a[7 * j] = l;
            for (var i = j + 1; i < 6; i++)
            {
                var sum = a[6 * i + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= a[6 * i + k] * a[6 * j + k];
                }

                a[6 * i + j] = sum / l;
            }
        }

        for (var i = 0; i < 6; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= a[6 * i + k] * b[k];
            }

            b[i] = sum / a[7 * i];
        }

        for (var i = 5; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < 6; k++)
            {
                sum -= a[6 * k + i] * b[k];
            }

            b[i] = sum / a[7 * i];
        }

        return true;
    }

    private static bool Invert3(ReadOnlySpan<double> m, Span<double> inverse)
    {
        var c00 = m[4] * m[8] - m[5] * m[7];
        var c01 = m[5] * m[6] - m[3] * m[8];
        var c02 = m[3] * m[7] - m[4] * m[6];
        var det = m[0] * c00 + m[1] * c01 + m[2] * c02;
        var size = Math.Abs(m[0]) + Math.Abs(m[4]) + Math.Abs(m[8]);
        if (!(Math.Abs(det) > 1e-9 * size * size * size))
        {
            return false;
        }

        var id = 1 / det;
        inverse[0] = c00 * id;
        inverse[1] = (m[2] * m[7] - m[1] * m[8]) * id;
        inverse[2] = (m[1] * m[5] - m[2] * m[4]) * id;
        inverse[3] = c01 * id;
        inverse[4] = (m[0] * m[8] - m[2] * m[6]) * id;
        inverse[5] = (m[2] * m[3] - m[0] * m[5]) * id;
        inverse[6] = c02 * id;
        inverse[7] = (m[1] * m[6] - m[0] * m[7]) * id;
        inverse[8] = (m[0] * m[4] - m[1] * m[3]) * id;
        return true;
    }

    private static int[] ToInts(ReadOnlySpan<byte> indices)
    {
        var result = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            result[i] = indices[i];
        }

        return result;
    }
}
