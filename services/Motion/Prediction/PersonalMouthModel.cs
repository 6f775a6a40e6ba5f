using System.Buffers;
using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Prediction;

/// <summary>
/// The dub-mode mouth model, fitted at job time on the target's own footage: ridge regression from
/// <see cref="MotionFeatures"/> rows to the coefficients of a PCA of the target's speech-point shapes.
/// The speaker's own mouth is the model, so its output looks like that person talking, not like an average face.
/// </summary>
/// <remarks>
/// Fitting: the usable frames (face present and tracked, finite inputs) in time order are the training rows,
/// silent ones included, so the model also learns what the mouth does when nothing is said. λ is picked by
/// blocked 5-fold CV on the PCA coefficients; the same out-of-fold predictions then pick the coefficient
/// smoother (none, 3-tap, One Euro), each applied within runs of consecutive frames of one held-out block, and
/// the one with the lowest error wins (ties: none).
/// </remarks>
public sealed class PersonalMouthModel
{
    private const int Dim = SpeechPoints.FloatCount;

    private readonly MouthPca _pca;
    private readonly RidgeRegression _ridge;
    private readonly double _fps;

    private PersonalMouthModel(
        MouthPca pca, RidgeRegression ridge, int trainingFrames, double cvError,
        CoefficientSmoothing smoothing, IReadOnlyDictionary<CoefficientSmoothing, double> smoothingErrors, double fps)
    {
        _pca = pca;
        _ridge = ridge;
        TrainingFrames = trainingFrames;
        CvError = cvError;
        Smoothing = smoothing;
        SmoothingErrors = smoothingErrors;
        _fps = fps;
    }

    /// <summary>The ridge penalty CV chose.</summary>
    public double Lambda => _ridge.Lambda;

    /// <summary>Blocked-CV mean squared error of the chosen λ, per PCA coefficient, before smoothing (IOD² units).</summary>
    public double CvError { get; }

    public int Components => _pca.Components;

    public int TrainingFrames { get; }

    /// <summary>Feature columns the model expects (<see cref="MotionFeatures.Dimension"/>).</summary>
    public int FeatureDimension => _ridge.Inputs;

    public MouthPca Pca => _pca;

    /// <summary>The smoother applied to predicted coefficients.</summary>
    public CoefficientSmoothing Smoothing { get; }

    /// <summary>Out-of-fold coefficient MSE with each smoother tried (only the forced one when options fixed it).</summary>
    public IReadOnlyDictionary<CoefficientSmoothing, double> SmoothingErrors { get; }

    /// <summary>
    /// Fits the model, or returns null when the clip has fewer than
    /// <see cref="PersonalModelOptions.MinVoicedSeconds"/> × <see cref="PersonalModelOptions.Fps"/> usable
    /// voiced frames; the caller then falls back to <see cref="GenericMouthModel"/>.
    /// </summary>
    public static PersonalMouthModel? TryFit(
        ReadOnlySpan<float> features, int d, ReadOnlySpan<float> shapes136, ReadOnlySpan<byte> usable, ReadOnlySpan<byte> voiced, int n,
        PersonalModelOptions? options = null)
    {
        options ??= PersonalModelOptions.Default;
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(d);
        Require(features.Length, (long)n * d, nameof(features));
        Require(shapes136.Length, (long)n * Landmarks68.FloatCount, nameof(shapes136));
        Require(usable.Length, n, nameof(usable));
        Require(voiced.Length, n, nameof(voiced));

        // Training rows: usable frames whose inputs and speech points are all finite (a NaN would poison the
        // whole fit); their original frame numbers are kept to know where the time series has gaps.
        var frameOf = new List<int>(n);
        var voicedRows = 0;
        Span<float> speech = stackalloc float[Dim];
        for (var i = 0; i < n; i++)
        {
            if (usable[i] == 0 || !AllFinite(features.Slice(i * d, d)))
            {
                continue;
            }

            SpeechPoints.Gather(shapes136.Slice(i * Landmarks68.FloatCount, Landmarks68.FloatCount), speech);
            if (!AllFinite(speech))
            {
                continue;
            }

            frameOf.Add(i);
            if (voiced[i] != 0)
            {
                voicedRows++;
            }
        }

        var minVoiced = (int)Math.Ceiling((options.MinVoicedSeconds * options.Fps) - 1e-9);
        var m = frameOf.Count;
        if (voicedRows < Math.Max(minVoiced, 1) || m < 2 * options.Folds)
        {
            return null;
        }

        var x = new float[m * d];
        var shapes = new float[m * Dim];
        for (var r = 0; r < m; r++)
        {
            var i = frameOf[r];
            features.Slice(i * d, d).CopyTo(x.AsSpan(r * d, d));
            SpeechPoints.Gather(shapes136.Slice(i * Landmarks68.FloatCount, Landmarks68.FloatCount), shapes.AsSpan(r * Dim, Dim));
        }

        var pca = MouthPca.Fit(shapes, m, options.VarianceKept, options.MaxComponents);
        var k = pca.Components;
        var y = new float[m * k];
        for (var r = 0; r < m; r++)
        {
            pca.Project(shapes.AsSpan(r * Dim, Dim), y.AsSpan(r * k, k));
        }

        var grid = options.LambdaGrid ?? RidgeRegression.DefaultLambdaGrid;
        var cv = RidgeRegression.CrossValidate(x, y, m, d, k, grid, options.Folds, keepPredictions: true);
        var (smoothing, errors) = ChooseSmoothing(cv.OutOfFold!, y, frameOf, m, k, Math.Min(options.Folds, m), options);
        var ridge = RidgeRegression.Fit(x, y, m, d, k, cv.Lambda);
        return new PersonalMouthModel(pca, ridge, m, cv.Error, smoothing, errors, options.Fps);
    }

    /// <summary>
    /// Predicts the speech points of <paramref name="n"/> consecutive frames (one feature row each) into
    /// <paramref name="shapes58Out"/> ([n, 58], canonical frame).
    /// </summary>
    public void Predict(ReadOnlySpan<float> features, int n, Span<float> shapes58Out)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var d = FeatureDimension;
        var k = Components;
        Require(features.Length, (long)n * d, nameof(features));
        Require(shapes58Out.Length, (long)n * Dim, nameof(shapes58Out));
        if (n == 0)
        {
            return;
        }

        var buffer = ArrayPool<float>.Shared.Rent(n * k);
        try
        {
            var coeffs = buffer.AsSpan(0, n * k);
            for (var i = 0; i < n; i++)
            {
                _ridge.Predict(features.Slice(i * d, d), coeffs.Slice(i * k, k));
            }

            TemporalSmoothing.Apply(Smoothing, coeffs, n, k, _fps);
            for (var i = 0; i < n; i++)
            {
                _pca.Reconstruct(coeffs.Slice(i * k, k), shapes58Out.Slice(i * Dim, Dim));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Scores each smoother on the out-of-fold predictions. Smoothing runs only within runs of rows that are
    /// consecutive frames AND come from the same held-out block: across a block edge the two sides were predicted
    /// by different models, and across a tracking gap the frames are not neighbours in time.
    /// </summary>
    private static (CoefficientSmoothing, IReadOnlyDictionary<CoefficientSmoothing, double>) ChooseSmoothing(
        float[] outOfFold, float[] truth, List<int> frameOf, int m, int k, int folds, PersonalModelOptions options)
    {
        CoefficientSmoothing[] candidates = options.Smoothing is { } forced
            ? [forced]
            : [CoefficientSmoothing.None, CoefficientSmoothing.ThreeTap, CoefficientSmoothing.OneEuro];
        var errors = new Dictionary<CoefficientSmoothing, double>();
        var work = new float[m * k];
        var best = candidates[0];
        foreach (var candidate in candidates)
        {
            outOfFold.CopyTo(work, 0);
            for (var f = 0; f < folds; f++)
            {
                var (start, count) = RidgeRegression.Fold(m, folds, f);
                var runStart = start;
                for (var r = start + 1; r <= start + count; r++)
                {
                    if (r == start + count || frameOf[r] != frameOf[r - 1] + 1)
                    {
                        TemporalSmoothing.Apply(candidate, work.AsSpan(runStart * k, (r - runStart) * k), r - runStart, k, options.Fps);
                        runStart = r;
                    }
                }
            }

            double sse = 0;
            for (var i = 0; i < m * k; i++)
            {
                double e = work[i] - truth[i];
                sse += e * e;
            }

            errors[candidate] = sse / ((double)m * k);
            if (errors[candidate] < errors[best])
            {
                best = candidate;
            }
        }

        return (best, errors);
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private static void Require(int length, long needed, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"expected at least {needed} elements, got {length}", name);
        }
    }
}
