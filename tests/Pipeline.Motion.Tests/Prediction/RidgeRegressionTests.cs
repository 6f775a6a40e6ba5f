using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

public sealed class RidgeRegressionTests
{
    private readonly ITestOutputHelper _output;

    public RidgeRegressionTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Recovers_known_weights_and_intercept_from_noiseless_data()
    {
        const int n = 200, d = 6, k = 2;
        var rng = new Random(4);
        double[,] w = { { 1.5, -2 }, { 0, 0.5 }, { -0.25, 3 }, { 4, 0 }, { 0.1, 0.1 }, { -1, -1 } };
        double[] b = [0.7, -3];
        var (x, y) = Linear(rng, n, d, k, w, b, noise: 0, columnScale: [1, 10, 0.01, 100, 1, 3]);

        var model = RidgeRegression.Fit(x, y, n, d, k, lambda: 1e-9);

        var zero = new float[d];
        var y0 = new float[k];
        model.Predict(zero, y0);
        var yj = new float[k];
        var unit = new float[d];
        for (var j = 0; j < d; j++)
        {
            unit.AsSpan().Clear();
            unit[j] = 1;
            model.Predict(unit, yj);
            for (var o = 0; o < k; o++)
            {
                Assert.Equal(w[j, o], yj[o] - y0[o], 2e-3);
            }
        }

        for (var o = 0; o < k; o++)
        {
            Assert.Equal(b[o], y0[o], 2e-3);
        }
    }

    [Fact]
    public void A_constant_column_gets_no_weight_and_breaks_nothing_even_at_lambda_zero()
    {
        const int n = 100, d = 3, k = 1;
        var rng = new Random(5);
        var (x, y) = Linear(rng, n, d, k, new double[,] { { 2 }, { 0 }, { -1 } }, [1], noise: 0, columnScale: [1, 1, 1]);
        for (var r = 0; r < n; r++)
        {
            x[r * d + 1] = 42f;
        }

        var model = RidgeRegression.Fit(x, y, n, d, k, lambda: 0);
        var pred = new float[1];
        model.Predict([1f, 42f, 1f], pred);
        Assert.Equal(1 + 2 - 1, pred[0], 1e-3);
        model.Predict([1f, -1000f, 1f], pred);
        Assert.Equal(1 + 2 - 1, pred[0], 1e-3); // the constant column is ignored, whatever it holds later
    }

    [Fact]
    public void A_missing_input_counts_as_its_training_mean()
    {
        const int n = 100, d = 2, k = 1;
        var (x, y) = Linear(new Random(9), n, d, k, new double[,] { { 2 }, { 3 } }, [1], noise: 0, columnScale: null);
        var model = RidgeRegression.Fit(x, y, n, d, k, 1e-9);
        var meanX1 = Enumerable.Range(0, n).Average(r => (double)x[r * d + 1]);
        var pred = new float[1];
        model.Predict([1f, float.NaN], pred);
        Assert.Equal(1 + 2 + 3 * meanX1, pred[0], 1e-3);
    }

    [Fact]
    public void Of_penalties_the_blocks_cannot_tell_apart_the_strongest_is_chosen()
    {
        // Plenty of noisy rows: every small λ fits about equally well, the error curve is flat at its bottom.
        const int n = 300, d = 4, k = 2;
        var grid = RidgeRegression.DefaultLambdaGrid;
        var (x, y) = Linear(new Random(21), n, d, k, new double[,] { { 1, 0 }, { 0, 1 }, { 0.5, 0.5 }, { 0.2, -0.2 } }, [0, 0], noise: 1.5, columnScale: null);

        var cv = RidgeRegression.CrossValidate(x, y, n, d, k, grid, folds: 5, keepPredictions: false);

        var lowest = Enumerable.Range(0, grid.Count).MinBy(g => cv.Errors[g]);
        var chosen = grid.ToList().IndexOf(cv.Lambda);
        _output.WriteLine($"lowest error at λ={grid[lowest]:g3} ({cv.Errors[lowest]:g4}); chosen λ={cv.Lambda:g3} ({cv.Error:g4})");
        Assert.True(chosen > lowest, $"chose λ={cv.Lambda}, the lowest error is at λ={grid[lowest]}");
        Assert.True(cv.Error <= cv.Errors[lowest] * 1.1, "within a standard error of the lowest, which here is a few per cent");
        Assert.True(cv.Errors[^1] > cv.Error, "the strongest penalty of the grid underfits and is not within reach");
    }

    [Fact]
    public void Cross_validation_picks_a_larger_lambda_for_few_noisy_rows()
    {
        const int d = 20, k = 3;
        var grid = RidgeRegression.DefaultLambdaGrid;
        var w = new double[d, k];
        var rng = new Random(6);
        for (var j = 0; j < d; j++)
        {
            for (var o = 0; o < k; o++)
            {
                w[j, o] = 0.2 * MouthPcaTests.Gauss(rng);
            }
        }

        var (cleanX, cleanY) = Linear(rng, 400, d, k, w, new double[k], noise: 0, columnScale: null);
        var (noisyX, noisyY) = Linear(rng, 30, d, k, w, new double[k], noise: 2, columnScale: null);

        var clean = RidgeRegression.ChooseLambda(cleanX, cleanY, 400, d, k, grid);
        var noisy = RidgeRegression.ChooseLambda(noisyX, noisyY, 30, d, k, grid);
        _output.WriteLine($"clean: λ={clean.Lambda:g3} cv={clean.CvError:g3}; noisy: λ={noisy.Lambda:g3} cv={noisy.CvError:g3}");

        Assert.Equal(grid[0], clean.Lambda);
        Assert.True(clean.CvError < 1e-6);
        Assert.True(noisy.Lambda >= 10, $"noisy λ = {noisy.Lambda}");
        Assert.True(noisy.Lambda > clean.Lambda);
    }

    [Fact]
    public void Default_grid_is_half_decades_from_a_hundredth_to_ten_thousand()
    {
        var grid = RidgeRegression.DefaultLambdaGrid;
        Assert.Equal(13, grid.Count);
        Assert.Equal(0.01, grid[0], 1e-12);
        Assert.Equal(1e4, grid[^1], 1e-6);
        for (var i = 1; i < grid.Count; i++)
        {
            Assert.Equal(Math.Sqrt(10), grid[i] / grid[i - 1], 1e-9);
        }
    }

    [Theory]
    [InlineData(103, 5)]
    [InlineData(10, 5)]
    [InlineData(7, 3)]
    [InlineData(1000, 10)]
    public void Blocked_folds_are_contiguous_ordered_and_cover_every_row_once(int n, int folds)
    {
        var next = 0;
        var sizes = new List<int>();
        for (var f = 0; f < folds; f++)
        {
            var (start, count) = RidgeRegression.Fold(n, folds, f);
            Assert.Equal(next, start); // each block starts where the previous one ended: contiguous, in order
            next = start + count;
            sizes.Add(count);
        }

        Assert.Equal(n, next);
        Assert.True(sizes.Max() - sizes.Min() <= 1);
    }

    [Fact]
    public void Choose_lambda_holds_out_contiguous_blocks_so_neighbouring_frames_do_not_leak()
    {
        // Spurious regression on time series: y and the 20 inputs are independent random walks. Random folds let
        // the model interpolate each held-out frame from its neighbours in training and look good; contiguous
        // blocks expose that it has learnt nothing. ChooseLambda must report the blocked error.
        const int n = 400, d = 20, k = 1, folds = 5;
        var rng = new Random(7);
        var x = new float[n * d];
        var y = new float[n];
        var walks = new double[d + 1];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= d; j++)
            {
                walks[j] += MouthPcaTests.Gauss(rng);
            }

            for (var j = 0; j < d; j++)
            {
                x[i * d + j] = (float)walks[j];
            }

            y[i] = (float)walks[d];
        }

        var (_, cv) = RidgeRegression.ChooseLambda(x, y, n, d, k, [1.0], folds);

        var blocked = ManualCv(x, y, n, d, folds, i => Math.Min(folds - 1, i * folds / n));
        var order = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        var foldOf = new int[n];
        for (var r = 0; r < n; r++)
        {
            foldOf[order[r]] = r % folds;
        }

        var shuffled = ManualCv(x, y, n, d, folds, i => foldOf[i]);
        _output.WriteLine($"ChooseLambda {cv:g4}, blocked {blocked:g4}, shuffled {shuffled:g4}");

        Assert.Equal(blocked, cv, blocked * 1e-3);
        Assert.True(cv > 2 * shuffled, $"blocked {cv} vs shuffled {shuffled}");
    }

    private static double ManualCv(float[] x, float[] y, int n, int d, int folds, Func<int, int> foldOf)
    {
        double sse = 0;
        var pred = new float[1];
        for (var f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, n).Where(i => foldOf(i) != f).ToArray();
            var tx = train.SelectMany(i => x.AsSpan(i * d, d).ToArray()).ToArray();
            var ty = train.Select(i => y[i]).ToArray();
            var model = RidgeRegression.Fit(tx, ty, train.Length, d, 1, 1.0);
            foreach (var i in Enumerable.Range(0, n).Where(i => foldOf(i) == f))
            {
                model.Predict(x.AsSpan(i * d, d), pred);
                sse += (pred[0] - y[i]) * (double)(pred[0] - y[i]);
            }
        }

        return sse / n;
    }

    [Fact]
    public void Predict_allocates_nothing()
    {
        const int n = 50, d = 10, k = 4;
        var (x, y) = Linear(new Random(8), n, d, k, new double[d, k], new double[k], noise: 1, columnScale: null);
        var model = RidgeRegression.Fit(x, y, n, d, k, 1);
        var pred = new float[k];
        model.Predict(x.AsSpan(0, d), pred);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < n; r++)
        {
            model.Predict(x.AsSpan(r * d, d), pred);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    internal static (float[] X, float[] Y) Linear(Random rng, int n, int d, int k, double[,] w, double[] b, double noise, double[]? columnScale)
    {
        var x = new float[n * d];
        var y = new float[n * k];
        for (var r = 0; r < n; r++)
        {
            for (var j = 0; j < d; j++)
            {
                x[r * d + j] = (float)(MouthPcaTests.Gauss(rng) * (columnScale?[j] ?? 1));
            }

            for (var o = 0; o < k; o++)
            {
                var s = b[o] + noise * MouthPcaTests.Gauss(rng);
                for (var j = 0; j < d; j++)
                {
                    s += w[j, o] * x[r * d + j];
                }

                y[r * k + o] = (float)s;
            }
        }

        return (x, y);
    }
}
