namespace Pipeline.Motion.Prediction;

/// <summary>
/// Principal components of speech-point shapes (58 floats per frame, canonical frame). A person's mouth moves
/// in a handful of coordinated ways (jaw drop, opening, spreading, rounding); predicting a few PCA
/// coefficients instead of 58 coordinates keeps the regression small and its output a plausible shape.
/// </summary>
public sealed class MouthPca
{
    private const int Dim = SpeechPoints.FloatCount;

    private readonly float[] _mean;
    private readonly float[] _basis;        // Components × 58, orthonormal rows
    private readonly double[] _variances;   // all 58 eigenvalues, descending

    private MouthPca(float[] mean, float[] basis, double[] variances, int components, double explained)
    {
        _mean = mean;
        _basis = basis;
        _variances = variances;
        Components = components;
        ExplainedVariance = explained;
    }

    public int Components { get; }

    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>Fraction of the training shapes' total variance that the kept components explain (1 when the shapes never vary).</summary>
    public double ExplainedVariance { get; }

    /// <summary>Variance along each of the 58 principal directions, largest first (the kept ones are the first <see cref="Components"/>).</summary>
    public ReadOnlySpan<double> ComponentVariances => _variances;

    /// <summary>The kept principal directions, one orthonormal 58-float row each.</summary>
    public ReadOnlySpan<float> Basis => _basis;

    /// <summary>
    /// Fits on <paramref name="n"/> shapes and keeps the fewest components that explain
    /// <paramref name="varianceKept"/> of the variance, at most <paramref name="maxComponents"/>, at least one.
    /// </summary>
    public static MouthPca Fit(ReadOnlySpan<float> shapes58, int n, double varianceKept = 0.98, int maxComponents = 12)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxComponents);
        if (!(varianceKept > 0 && varianceKept <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(varianceKept), varianceKept, "the variance kept is a fraction in (0, 1]");
        }

        if (shapes58.Length < (long)n * Dim)
        {
            throw new ArgumentException($"{n} shapes need {(long)n * Dim} floats, got {shapes58.Length}", nameof(shapes58));
        }

        var mean = new double[Dim];
        for (var r = 0; r < n; r++)
        {
            var row = shapes58.Slice(r * Dim, Dim);
            for (var j = 0; j < Dim; j++)
            {
                mean[j] += row[j];
            }
        }

        for (var j = 0; j < Dim; j++)
        {
            mean[j] /= n;
        }

        // Covariance (population, /n) accumulated in doubles on centred rows: shapes sit near 0.7 IOD while
        // speech moves them by a few hundredths, so uncentred sums would lose the signal to rounding.
        var cov = new double[Dim * Dim];
        Span<double> centred = stackalloc double[Dim];
        for (var r = 0; r < n; r++)
        {
            var row = shapes58.Slice(r * Dim, Dim);
            for (var j = 0; j < Dim; j++)
            {
                centred[j] = row[j] - mean[j];
            }

            for (var i = 0; i < Dim; i++)
            {
                var ci = centred[i];
                var covRow = cov.AsSpan(i * Dim, Dim);
                for (var j = i; j < Dim; j++)
                {
                    covRow[j] += ci * centred[j];
                }
            }
        }

        for (var i = 0; i < Dim; i++)
        {
            for (var j = i; j < Dim; j++)
            {
                var c = cov[i * Dim + j] / n;
                cov[i * Dim + j] = c;
                cov[j * Dim + i] = c;
            }
        }

        var values = new double[Dim];
        var vectors = new double[Dim * Dim];
        SymmetricEigen.Decompose(cov, Dim, values, vectors);

        double total = 0;
        for (var i = 0; i < Dim; i++)
        {
            // Round-off can leave tiny negative eigenvalues of a PSD matrix.
            values[i] = Math.Max(values[i], 0);
            total += values[i];
        }

        var k = 1;
        double kept = values[0];
        var cap = Math.Min(maxComponents, Dim);
        while (k < cap && total > 0 && kept < varianceKept * total)
        {
            kept += values[k];
            k++;
        }

        var basis = new float[k * Dim];
        for (var c = 0; c < k; c++)
        {
            // Sign convention: the largest-magnitude element of each direction is positive, so refits on
            // similar data give comparable coefficients.
            var row = vectors.AsSpan(c * Dim, Dim);
            var big = 0;
            for (var j = 1; j < Dim; j++)
            {
                if (Math.Abs(row[j]) > Math.Abs(row[big]))
                {
                    big = j;
                }
            }

            var sign = row[big] < 0 ? -1 : 1;
            for (var j = 0; j < Dim; j++)
            {
                basis[c * Dim + j] = (float)(sign * row[j]);
            }
        }

        var meanF = new float[Dim];
        for (var j = 0; j < Dim; j++)
        {
            meanF[j] = (float)mean[j];
        }

        return new MouthPca(meanF, basis, values, k, total > 0 ? Math.Min(1, kept / total) : 1);
    }

    /// <summary>Coefficients of one shape: its offset from the mean projected on each kept direction.</summary>
    public void Project(ReadOnlySpan<float> shape58, Span<float> coeffs)
    {
        Require(shape58.Length, Dim, nameof(shape58));
        Require(coeffs.Length, Components, nameof(coeffs));
        for (var c = 0; c < Components; c++)
        {
            var dir = _basis.AsSpan(c * Dim, Dim);
            double s = 0;
            for (var j = 0; j < Dim; j++)
            {
                s += (shape58[j] - _mean[j]) * (double)dir[j];
            }

            coeffs[c] = (float)s;
        }
    }

    /// <summary>The shape mean + Σ coeffs[c]·direction[c].</summary>
    public void Reconstruct(ReadOnlySpan<float> coeffs, Span<float> shape58)
    {
        Require(coeffs.Length, Components, nameof(coeffs));
        Require(shape58.Length, Dim, nameof(shape58));
        for (var j = 0; j < Dim; j++)
        {
            double s = _mean[j];
            for (var c = 0; c < Components; c++)
            {
                s += coeffs[c] * (double)_basis[c * Dim + j];
            }

            shape58[j] = (float)s;
        }
    }

    private static void Require(int length, int needed, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"expected at least {needed} floats, got {length}", name);
        }
    }
}
