namespace Pipeline.Motion.Prediction;

/// <summary>
/// Multi-output ridge regression: y = b + Σ_j z_j·W_j with z the z-scored inputs, fitted by minimising
/// ‖Y − b − Z·W‖² + λ‖W‖² (the intercept b is not penalised; it is the training mean of y because Z is centred).
/// </summary>
/// <remarks>
/// Inputs are standardised per column on the training rows, so one λ means the same for visemes (0..1), MFCCs
/// (tens) and energy (−1..0). Constant columns (zero spread, or spread below float resolution) carry no
/// information and get weight exactly 0. The penalty is not scaled by the row count (scikit-learn's
/// convention): with standardised columns ZᵀZ has n on its diagonal, so λ ≈ n means "as strong as the data".
/// </remarks>
public sealed class RidgeRegression
{
    private readonly double[] _mean;      // d: training mean of each input column
    private readonly double[] _weights;   // k × d: per output, weights on the CENTRED raw inputs (z-scaling folded in)
    private readonly double[] _intercept; // k

    private RidgeRegression(int d, int k, double lambda, double[] mean, double[] weights, double[] intercept)
    {
        Inputs = d;
        Outputs = k;
        Lambda = lambda;
        _mean = mean;
        _weights = weights;
        _intercept = intercept;
    }

    /// <summary>10^-2 .. 10^4 in half-decade steps (13 values).</summary>
    public static IReadOnlyList<double> DefaultLambdaGrid { get; } = Array.AsReadOnly(BuildDefaultGrid());

    public int Inputs { get; }

    public int Outputs { get; }

    public double Lambda { get; }

    public static RidgeRegression Fit(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int n, int d, int k, double lambda)
    {
        Validate(x, y, n, d, k);
        ValidateLambda(lambda, nameof(lambda));
        return NormalEquations.Build(x, y, n, d, k, 0, 0).Solve(lambda);
    }

    /// <summary>One row of predictions; allocates nothing. Non-finite inputs are taken at their training mean.</summary>
    public void Predict(ReadOnlySpan<float> xRow, Span<float> yRow)
    {
        if (xRow.Length < Inputs || yRow.Length < Outputs)
        {
            throw new ArgumentException($"expected {Inputs} inputs and room for {Outputs} outputs, got {xRow.Length} and {yRow.Length}", nameof(xRow));
        }

        var d = Inputs;

        // Centre the row once (on the stack: no allocation per frame), then one SIMD dot product per output.
        // A missing input (NaN or infinity, e.g. a feature frame the audio stage could not compute) counts as
        // its training mean: one bad column must not turn the whole predicted shape into NaN.
        var rented = d > 512 ? System.Buffers.ArrayPool<double>.Shared.Rent(d) : null;
        var centred = rented is null ? stackalloc double[d] : rented.AsSpan(0, d);
        for (var j = 0; j < d; j++)
        {
            var v = xRow[j];
            centred[j] = float.IsFinite(v) ? v - _mean[j] : 0;
        }

        for (var o = 0; o < Outputs; o++)
        {
            yRow[o] = (float)(_intercept[o] + VectorMath.Dot(centred, _weights.AsSpan(o * d, d)));
        }

        if (rented is not null)
        {
            System.Buffers.ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Picks λ from <paramref name="grid"/> by blocked cross-validation: fold f holds out the contiguous rows
    /// <see cref="Fold"/>(n, folds, f). Rows are frames of a time series, and neighbouring frames are nearly
    /// the same; random folds would put a frame's twin in the training set and reward overfitting.
    /// </summary>
    /// <returns>The strongest λ whose CV error is within one standard error (over the blocks) of the lowest, and
    /// its error: the mean squared error over all held-out rows and all k outputs.</returns>
    public static (double Lambda, double CvError) ChooseLambda(
        ReadOnlySpan<float> x, ReadOnlySpan<float> y, int n, int d, int k, IReadOnlyList<double> grid, int folds = 5)
    {
        var cv = CrossValidate(x, y, n, d, k, grid, folds, keepPredictions: false);
        return (cv.Lambda, cv.Error);
    }

    /// <summary>
    /// The rows held out by fold <paramref name="index"/> of <paramref name="folds"/> contiguous blocks of
    /// near-equal size covering 0..n-1 in order.
    /// </summary>
    public static (int Start, int Count) Fold(int n, int folds, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(folds);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (index < 0 || index >= folds)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"a fold index in 0..{folds - 1}");
        }

        var start = (int)((long)index * n / folds);
        var end = (int)((long)(index + 1) * n / folds);
        return (start, end - start);
    }

    /// <summary>
    /// The cross-validation behind <see cref="ChooseLambda"/>; optionally keeps the out-of-fold predictions of
    /// the chosen λ (n × k; row r predicted by the model that did not see it), which callers use to tune
    /// post-processing on honest predictions.
    /// </summary>
    internal static CrossValidationResult CrossValidate(
        ReadOnlySpan<float> x, ReadOnlySpan<float> y, int n, int d, int k, IReadOnlyList<double> grid, int folds, bool keepPredictions)
    {
        Validate(x, y, n, d, k);
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.Count == 0)
        {
            throw new ArgumentException("the λ grid is empty", nameof(grid));
        }

        foreach (var l in grid)
        {
            ValidateLambda(l, nameof(grid));
        }

        if (n < 2)
        {
            throw new ArgumentException($"cross-validation needs at least 2 rows, got {n}", nameof(n));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        folds = Math.Min(folds, n);

        var sse = new double[grid.Count];
        var foldSse = new double[grid.Count * folds];
        var oof = keepPredictions ? new float[grid.Count * n * k] : null;
        var pred = new float[k];
        for (var f = 0; f < folds; f++)
        {
            var (start, count) = Fold(n, folds, f);
            var system = NormalEquations.Build(x, y, n, d, k, start, start + count);
            for (var g = 0; g < grid.Count; g++)
            {
                var model = system.Solve(grid[g]);
                for (var r = start; r < start + count; r++)
                {
                    model.Predict(x.Slice(r * d, d), pred);
                    var truth = y.Slice(r * k, k);
                    for (var o = 0; o < k; o++)
                    {
                        double e = pred[o] - truth[o];
                        sse[g] += e * e;
                        foldSse[(g * folds) + f] += e * e;
                    }

                    if (oof is not null)
                    {
                        pred.CopyTo(oof.AsSpan(((g * n) + r) * k, k));
                    }
                }
            }
        }

        var best = 0;
        for (var g = 1; g < grid.Count; g++)
        {
            var better = sse[g] < sse[best] || (sse[g] == sse[best] && grid[g] > grid[best]);
            if (better)
            {
                best = g;
            }
        }

        var errors = new double[grid.Count];
        for (var g = 0; g < grid.Count; g++)
        {
            errors[g] = sse[g] / ((double)n * k);
        }

        // The one-standard-error rule (glmnet's lambda.1se): the strongest penalty whose CV error is within one
        // standard error of the lowest. The blocks are a few seconds of footage each, so the lowest error is itself
        // a noisy estimate, and the footage the model is then applied to drifts further from the fitting frames
        // than the blocks do from each other (the head turns a little more, the light changes): of two λ the data
        // cannot tell apart, the stronger extrapolates more calmly.
        var blockErrors = new double[folds];
        for (var f = 0; f < folds; f++)
        {
            blockErrors[f] = foldSse[(best * folds) + f] / ((double)Fold(n, folds, f).Count * k);
        }

        var bar = errors[best] + StandardErrorOfMean(blockErrors);
        for (var g = 0; g < grid.Count; g++)
        {
            if (errors[g] <= bar && grid[g] > grid[best])
            {
                best = g;
            }
        }

        return new CrossValidationResult(grid[best], errors[best], errors, oof?.AsSpan(best * n * k, n * k).ToArray());
    }

    private static double StandardErrorOfMean(double[] values)
    {
        if (values.Length < 2)
        {
            return 0;
        }

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return Math.Sqrt(variance / values.Length);
    }

    private static void Validate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int n, int d, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(d);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (x.Length < (long)n * d)
        {
            throw new ArgumentException($"{n}×{d} inputs need {(long)n * d} floats, got {x.Length}", nameof(x));
        }

        if (y.Length < (long)n * k)
        {
            throw new ArgumentException($"{n}×{k} outputs need {(long)n * k} floats, got {y.Length}", nameof(y));
        }
    }

    private static void ValidateLambda(double lambda, string name)
    {
        if (!(lambda >= 0) || !double.IsFinite(lambda))
        {
            throw new ArgumentOutOfRangeException(name, lambda, "λ must be finite and non-negative");
        }
    }

    private static double[] BuildDefaultGrid()
    {
        var grid = new double[13];
        for (var i = 0; i < grid.Length; i++)
        {
            grid[i] = Math.Pow(10, -2 + (0.5 * i));
        }

        return grid;
    }

    /// <summary>
    /// The standardised normal equations of one training set (all rows but one held-out block), built once and
    /// solved for every λ: ZᵀZ and ZᵀYc do not depend on λ.
    /// </summary>
    private sealed class NormalEquations
    {
        private readonly int _d;
        private readonly int _k;
        private readonly double[] _gram;   // d×d ZᵀZ
        private readonly double[] _rhs;    // d×k ZᵀYc
        private readonly double[] _mean;   // d
        private readonly double[] _scale;  // d: 1/sd, 0 for constant columns
        private readonly double[] _yMean;  // k

        private NormalEquations(int d, int k, double[] gram, double[] rhs, double[] mean, double[] scale, double[] yMean)
        {
            _d = d;
            _k = k;
            _gram = gram;
            _rhs = rhs;
            _mean = mean;
            _scale = scale;
            _yMean = yMean;
        }

        /// <summary>Training rows: 0..n-1 except [skipStart, skipEnd).</summary>
        public static NormalEquations Build(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int n, int d, int k, int skipStart, int skipEnd)
        {
            var m = n - (skipEnd - skipStart);
            var mean = new double[d];
            var yMean = new double[k];
            for (var r = 0; r < n; r++)
            {
                if (r >= skipStart && r < skipEnd)
                {
                    continue;
                }

                var xr = x.Slice(r * d, d);
                for (var j = 0; j < d; j++)
                {
                    mean[j] += xr[j];
                }

                var yr = y.Slice(r * k, k);
                for (var o = 0; o < k; o++)
                {
                    yMean[o] += yr[o];
                }
            }

            for (var j = 0; j < d; j++)
            {
                mean[j] /= m;
            }

            for (var o = 0; o < k; o++)
            {
                yMean[o] /= m;
            }

            // Centred cross-products in doubles (upper triangle, mirrored below).
            var gram = new double[d * d];
            var rhs = new double[d * k];
            var c = new double[d];
            var cy = new double[k];
            for (var r = 0; r < n; r++)
            {
                if (r >= skipStart && r < skipEnd)
                {
                    continue;
                }

                var xr = x.Slice(r * d, d);
                for (var j = 0; j < d; j++)
                {
                    c[j] = xr[j] - mean[j];
                }

                var yr = y.Slice(r * k, k);
                for (var o = 0; o < k; o++)
                {
                    cy[o] = yr[o] - yMean[o];
                }

                for (var i = 0; i < d; i++)
                {
                    var ci = c[i];
                    if (ci == 0)
                    {
                        continue;
                    }

                    VectorMath.AddScaled(gram.AsSpan((i * d) + i, d - i), ci, c.AsSpan(i));
                    VectorMath.AddScaled(rhs.AsSpan(i * k, k), ci, cy);
                }
            }

            var scale = new double[d];
            for (var j = 0; j < d; j++)
            {
                var variance = gram[j * d + j] / m;
                var sd = Math.Sqrt(Math.Max(variance, 0));

                // Spread at or below float resolution of the column's values is rounding, not signal.
                var constant = !(sd > 0) || sd <= 1e-6 * Math.Abs(mean[j]);
                scale[j] = constant ? 0 : 1 / sd;
            }

            for (var i = 0; i < d; i++)
            {
                for (var j = i; j < d; j++)
                {
                    var z = gram[i * d + j] * scale[i] * scale[j];
                    gram[i * d + j] = z;
                    gram[j * d + i] = z;
                }

                for (var o = 0; o < k; o++)
                {
                    rhs[i * k + o] *= scale[i];
                }

                // A constant column is all zeros after scaling; a unit diagonal keeps the system SPD at any
                // λ (even 0) and, with a zero right-hand side, gives it weight exactly 0.
                if (scale[i] == 0)
                {
                    gram[i * d + i] = 1;
                }
            }

            return new NormalEquations(d, k, gram, rhs, mean, scale, yMean);
        }

        public RidgeRegression Solve(double lambda)
        {
            var d = _d;
            var k = _k;
            var a = new double[d * d];
            var w = new double[d * k];
            double trace = 0;
            for (var i = 0; i < d; i++)
            {
                trace += _gram[i * d + i];
            }

            // λ = 0 on collinear inputs (or λ tiny against ZᵀZ) makes the system singular to working precision;
            // then add the smallest jitter that lets Cholesky through, i.e. a minimal-norm-like solution.
            var jitter = 0.0;
            while (true)
            {
                _gram.CopyTo(a, 0);
                for (var i = 0; i < d; i++)
                {
                    if (_scale[i] != 0)
                    {
                        a[i * d + i] += lambda + jitter;
                    }
                }

                if (Cholesky.TryFactor(a, d))
                {
                    break;
                }

                jitter = jitter == 0 ? 1e-12 * Math.Max(trace / d, 1) : jitter * 10;
                if (jitter > 1e6 * Math.Max(trace, 1))
                {
                    throw new InvalidOperationException("ridge normal equations could not be factorised (non-finite inputs?)");
                }
            }

            _rhs.CopyTo(w, 0);
            Cholesky.Solve(a, d, w, k);

            // Fold the z-scaling into the weights: y = b + Σ (x_j − mean_j)·scale_j·W_j.
            var weights = new double[k * d];
            for (var j = 0; j < d; j++)
            {
                for (var o = 0; o < k; o++)
                {
                    weights[o * d + j] = w[j * k + o] * _scale[j];
                }
            }

            return new RidgeRegression(d, k, lambda, (double[])_mean.Clone(), weights, (double[])_yMean.Clone());
        }
    }
}
