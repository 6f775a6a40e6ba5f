namespace Pipeline.FaceGeometry;

/// <summary>
/// A 2D similarity: uniform scale, rotation and translation, no shear or reflection.
/// It maps (x, y) to (A·x − B·y + Tx, B·x + A·y + Ty) with A = s·cos θ and B = s·sin θ. With image
/// coordinates (y down) a positive <see cref="RotationRadians"/> turns clockwise on screen.
/// Stored in doubles: transforms are chained (image → canonical → model → back) and float error adds up.
/// </summary>
public readonly record struct SimilarityTransform(double A, double B, double Tx, double Ty)
{
    public static SimilarityTransform Identity => new(1, 0, 0, 0);

    public static SimilarityTransform FromScaleRotation(double scale, double radians, double tx, double ty) =>
        new(scale * Math.Cos(radians), scale * Math.Sin(radians), tx, ty);

    public double Scale => Math.Sqrt(A * A + B * B);

    public double RotationRadians => Math.Atan2(B, A);

    /// <summary>Row 0 of the 2x3 matrix <c>[[M00, M01, M02], [M10, M11, M12]]</c> (OpenCV's warpAffine layout).</summary>
    public double M00 => A;

    public double M01 => -B;

    public double M02 => Tx;

    public double M10 => B;

    public double M11 => A;

    public double M12 => Ty;

    /// <summary>The 2x3 matrix, row-major, into six doubles.</summary>
    public void WriteMatrix(Span<double> matrix2x3)
    {
        if (matrix2x3.Length < 6)
        {
            throw new ArgumentException("a 2x3 matrix needs 6 elements", nameof(matrix2x3));
        }

        matrix2x3[0] = A;
        matrix2x3[1] = -B;
        matrix2x3[2] = Tx;
        matrix2x3[3] = B;
        matrix2x3[4] = A;
        matrix2x3[5] = Ty;
    }

    public double[,] ToMatrix() => new[,] { { A, -B, Tx }, { B, A, Ty } };

    public (double X, double Y) Apply(double x, double y) => (A * x - B * y + Tx, B * x + A * y + Ty);

    /// <summary>Transforms interleaved points; <paramref name="dst"/> may be <paramref name="src"/> itself.</summary>
    public void Apply(ReadOnlySpan<float> src, Span<float> dst)
    {
        if (src.Length % 2 != 0)
        {
            throw new ArgumentException($"expected interleaved x,y pairs, got {src.Length} floats", nameof(src));
        }

        if (dst.Length < src.Length)
        {
            throw new ArgumentException($"destination holds {dst.Length} floats, {src.Length} needed", nameof(dst));
        }

        for (var i = 0; i < src.Length; i += 2)
        {
            double x = src[i], y = src[i + 1];
            dst[i] = (float)(A * x - B * y + Tx);
            dst[i + 1] = (float)(B * x + A * y + Ty);
        }
    }

    public SimilarityTransform Inverse()
    {
        var d = A * A + B * B;
        if (d == 0)
        {
            throw new InvalidOperationException("a zero-scale similarity has no inverse");
        }

        var ia = A / d;
        var ib = -B / d;
        return new SimilarityTransform(ia, ib, -(ia * Tx - ib * Ty), -(ib * Tx + ia * Ty));
    }

    /// <summary><paramref name="outer"/> ∘ <paramref name="inner"/>: apply <paramref name="inner"/> first.</summary>
    public static SimilarityTransform Compose(SimilarityTransform outer, SimilarityTransform inner) =>
        new(
            outer.A * inner.A - outer.B * inner.B,
            outer.B * inner.A + outer.A * inner.B,
            outer.A * inner.Tx - outer.B * inner.Ty + outer.Tx,
            outer.B * inner.Tx + outer.A * inner.Ty + outer.Ty);

    /// <summary>This transform followed by <paramref name="next"/>.</summary>
    public SimilarityTransform Then(SimilarityTransform next) => Compose(next, this);

    /// <summary>
    /// The similarity that best maps <paramref name="from"/> onto <paramref name="to"/> in weighted least
    /// squares (minimising Σ wᵢ·|to − T(from)|²): Umeyama's closed form, which in 2D needs no SVD, and which
    /// never returns a reflection. Empty <paramref name="weights"/> weighs every point 1; a zero weight
    /// leaves a point out; weights must be finite and non-negative.
    /// </summary>
    /// <exception cref="ArgumentException">Mismatched lengths, or degenerate input (no weight, or all weighted points coincide).</exception>
    public static SimilarityTransform Estimate(ReadOnlySpan<float> from, ReadOnlySpan<float> to, ReadOnlySpan<float> weights = default)
    {
        Validate(from, to, weights);
        if (!TryEstimateCore(from, to, weights, out var transform))
        {
            throw new ArgumentException("cannot estimate a similarity: the weighted source points are degenerate (zero total weight or all coincident)", nameof(from));
        }

        return transform;
    }

    /// <summary>As <see cref="Estimate"/>, but reports degenerate input by returning false instead of throwing.</summary>
    public static bool TryEstimate(ReadOnlySpan<float> from, ReadOnlySpan<float> to, ReadOnlySpan<float> weights, out SimilarityTransform transform)
    {
        Validate(from, to, weights);
        return TryEstimateCore(from, to, weights, out transform);
    }

    private static void Validate(ReadOnlySpan<float> from, ReadOnlySpan<float> to, ReadOnlySpan<float> weights)
    {
        if (from.Length != to.Length || from.Length % 2 != 0)
        {
            throw new ArgumentException($"point sets must be interleaved x,y of equal length (got {from.Length} and {to.Length})", nameof(to));
        }

        if (!weights.IsEmpty && weights.Length != from.Length / 2)
        {
            throw new ArgumentException($"one weight per point: {from.Length / 2} expected, got {weights.Length}", nameof(weights));
        }

        foreach (var w in weights)
        {
            if (!(w >= 0) || float.IsPositiveInfinity(w))
            {
                throw new ArgumentException($"weights must be finite and non-negative, got {w}", nameof(weights));
            }
        }
    }

    private static bool TryEstimateCore(ReadOnlySpan<float> from, ReadOnlySpan<float> to, ReadOnlySpan<float> weights, out SimilarityTransform transform)
    {
        transform = Identity;
        var n = from.Length / 2;
        double sw = 0, fx = 0, fy = 0, tx = 0, ty = 0;
        for (var i = 0; i < n; i++)
        {
            double w = weights.IsEmpty ? 1 : weights[i];
            sw += w;
            fx += w * from[2 * i];
            fy += w * from[2 * i + 1];
            tx += w * to[2 * i];
            ty += w * to[2 * i + 1];
        }

        if (!(sw > 0))
        {
            return false;
        }

        fx /= sw;
        fy /= sw;
        tx /= sw;
        ty /= sw;

        // Centred sums: dot and cross products of source and target, and the source spread.
        double dot = 0, cross = 0, spread = 0;
        for (var i = 0; i < n; i++)
        {
            double w = weights.IsEmpty ? 1 : weights[i];
            double ax = from[2 * i] - fx, ay = from[2 * i + 1] - fy;
            double bx = to[2 * i] - tx, by = to[2 * i + 1] - ty;
            dot += w * (ax * bx + ay * by);
            cross += w * (ax * by - ay * bx);
            spread += w * (ax * ax + ay * ay);
        }

        if (!(spread > 1e-300))
        {
            return false;
        }

        var a = dot / spread;
        var b = cross / spread;
        transform = new SimilarityTransform(a, b, tx - (a * fx - b * fy), ty - (b * fx + a * fy));
        return true;
    }
}
