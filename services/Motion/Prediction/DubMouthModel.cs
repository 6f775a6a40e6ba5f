using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Prediction;

/// <summary>
/// The dub-mode mouth model, fitted at job time on the target's own footage and its own audio: ridge regressions
/// from <see cref="MouthInputs"/> to the coefficients of a PCA of the target's speech-point shapes, one per
/// <see cref="MouthInputSet"/>, and the set and λ with the lowest blocked cross-validation error win.
/// </summary>
/// <remarks>
/// Why a choice of sets rather than one big regression: a catalog title may give minutes of speech or a few
/// seconds. With minutes, the full set (pose, generic articulation, audio: 266 columns) learns this person's
/// own way of speaking; with seconds, it overfits and a handful of columns (the generic model's six articulatory
/// parameters, recalibrated) predict better. Cross-validation on contiguous blocks of the footage, the way the
/// model will be used (on speech it has not heard), makes that call per title, and the chosen set is reported.
/// Smoothing of the predicted coefficients is then chosen on the same out-of-fold predictions.
/// </remarks>
public sealed class DubMouthModel
{
    private const int Dim = SpeechPoints.FloatCount;

    /// <summary>A more complex set must beat a simpler one by this share of CV error to be chosen.</summary>
    private const double ComplexityMargin = 0.01;

    private readonly MouthPca _pca;
    private readonly RidgeRegression? _ridge;
    private readonly RidgeRegression? _head;
    private readonly float[] _headMean;
    private readonly float[] _headRange; // per head column: training min, then training max
    private readonly double _fps;

    private DubMouthModel(
        MouthPca pca, MouthInputSet set, RidgeRegression? ridge, RidgeRegression? head, float[] headMean, float[] headRange,
        IReadOnlyDictionary<MouthInputSet, double> errors, CoefficientSmoothing smoothing,
        IReadOnlyDictionary<CoefficientSmoothing, double> smoothingErrors, double gain, int trainingFrames, double fps)
    {
        SmoothingErrors = smoothingErrors;
        GenericGain = gain;
        _pca = pca;
        Set = set;
        _ridge = ridge;
        _head = head;
        _headMean = headMean;
        _headRange = headRange;
        SetErrors = errors;
        Smoothing = smoothing;
        TrainingFrames = trainingFrames;
        _fps = fps;
    }

    public MouthInputSet Set { get; }

    /// <summary>
    /// True when the footage had enough voiced speech to learn this person's articulation (<see cref="TryFit"/>);
    /// false for <see cref="FitPlacement"/>, where the articulation is the generic model's.
    /// </summary>
    public bool Personal { get; private init; }

    /// <summary>The chosen set's ridge penalty (0 for <see cref="MouthInputSet.Mean"/>).</summary>
    public double Lambda => _ridge?.Lambda ?? 0;

    /// <summary>Blocked-CV mean squared error of each set at its best λ (per PCA coefficient, IOD² units).</summary>
    public IReadOnlyDictionary<MouthInputSet, double> SetErrors { get; }

    public CoefficientSmoothing Smoothing { get; }

    /// <summary>Out-of-fold coefficient MSE with each smoother tried (only the forced one when options fixed it).</summary>
    public IReadOnlyDictionary<CoefficientSmoothing, double> SmoothingErrors { get; }

    public int Components => _pca.Components;

    /// <summary>
    /// How much of the generic model's speech motion (<see cref="MouthInputs.GenericMotion"/>) is added on top of
    /// the chosen set's prediction, picked on the same held-out blocks. With seconds of footage the regression
    /// cannot learn articulation, but it can learn where this person's mouth sits; the generic motion, at a gain
    /// this person's footage supports, supplies the articulation.
    /// </summary>
    public double GenericGain { get; }

    /// <summary>Gains tried for <see cref="GenericGain"/>.</summary>
    public static IReadOnlyList<double> GainGrid { get; } = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5];

    public int TrainingFrames { get; }

    public MouthPca Pca => _pca;

    /// <summary>
    /// The model for a target's footage, as the motion stage and eval fit it: <see cref="TryFit"/>, or below the
    /// voiced threshold <see cref="FitPlacement"/>. Null only when too few faces are usable for either; the caller
    /// then lays <see cref="GenericMouthModel"/> on the footage's resting mouth.
    /// </summary>
    public static DubMouthModel? FitFootage(
        MouthInputs inputs, ReadOnlySpan<float> shapes136, ReadOnlySpan<byte> usable, ReadOnlySpan<byte> voiced, int n,
        PersonalModelOptions? options = null) =>
        TryFit(inputs, shapes136, usable, voiced, n, options) ?? FitPlacement(inputs, shapes136, usable, n, options);

    /// <summary>
    /// Fits on frames 0..<paramref name="n"/>-1 of <paramref name="inputs"/>, or returns null when fewer than
    /// <see cref="PersonalModelOptions.MinVoicedSeconds"/> of usable voiced frames are there (see
    /// <see cref="FitFootage"/> for what follows).
    /// </summary>
    public static DubMouthModel? TryFit(
        MouthInputs inputs, ReadOnlySpan<float> shapes136, ReadOnlySpan<byte> usable, ReadOnlySpan<byte> voiced, int n,
        PersonalModelOptions? options = null)
    {
        options ??= PersonalModelOptions.Default;
        options.Validate();
        ArgumentNullException.ThrowIfNull(inputs);
        if (n < 0 || n > inputs.Frames || shapes136.Length < (long)n * Landmarks68.FloatCount || usable.Length < n || voiced.Length < n)
        {
            throw new ArgumentException($"{n} training frames need as many input rows, {(long)n * Landmarks68.FloatCount} face floats and {n} usable and voiced flags", nameof(n));
        }

        var frameOf = UsableRows(inputs, shapes136, usable, voiced, n, out var voicedRows);
        var minVoiced = (int)Math.Ceiling((options.MinVoicedSeconds * options.Fps) - 1e-9);
        return voicedRows < Math.Max(minVoiced, 1) ? null : Fit(inputs, shapes136, frameOf, options, placementOnly: false);
    }

    /// <summary>
    /// The fallback below the voiced threshold: the generic model's articulation at full gain, placed by a pose-only
    /// regression fitted on frames 0..<paramref name="n"/>-1 whatever their sound (a silent take still shows where
    /// this person's mouth sits at each pose). Null when fewer than two frames per fold are usable; the caller then
    /// places the generic model on the footage's resting mouth alone.
    /// </summary>
    public static DubMouthModel? FitPlacement(MouthInputs inputs, ReadOnlySpan<float> shapes136, ReadOnlySpan<byte> usable, int n, PersonalModelOptions? options = null)
    {
        options ??= PersonalModelOptions.Default;
        options.Validate();
        ArgumentNullException.ThrowIfNull(inputs);
        if (n < 0 || n > inputs.Frames || shapes136.Length < (long)n * Landmarks68.FloatCount || usable.Length < n)
        {
            throw new ArgumentException($"{n} training frames need as many input rows, {(long)n * Landmarks68.FloatCount} face floats and {n} usable flags", nameof(n));
        }

        return Fit(inputs, shapes136, UsableRows(inputs, shapes136, usable, ReadOnlySpan<byte>.Empty, n, out _), options, placementOnly: true);
    }

    private static DubMouthModel? Fit(MouthInputs inputs, ReadOnlySpan<float> shapes136, List<int> frameOf, PersonalModelOptions options, bool placementOnly)
    {
        var m = frameOf.Count;
        if (m < 2 * options.Folds)
        {
            return null;
        }

        var shapes = new float[m * Dim];
        for (var r = 0; r < m; r++)
        {
            SpeechPoints.Gather(shapes136.Slice(frameOf[r] * Landmarks68.FloatCount, Landmarks68.FloatCount), shapes.AsSpan(r * Dim, Dim));
        }

        var pca = MouthPca.Fit(shapes, m, options.VarianceKept, options.MaxComponents);
        var k = pca.Components;
        var y = new float[m * k];
        for (var r = 0; r < m; r++)
        {
            pca.Project(shapes.AsSpan(r * Dim, Dim), y.AsSpan(r * k, k));
        }

        var folds = Math.Min(options.Folds, m);
        var grid = options.LambdaGrid ?? RidgeRegression.DefaultLambdaGrid;
        var errors = new Dictionary<MouthInputSet, double>();
        var outOfFold = new Dictionary<MouthInputSet, float[]>();
        var lambdas = new Dictionary<MouthInputSet, double>();
        var (meanError, meanOof) = MeanCv(y, m, k, folds);
        errors[MouthInputSet.Mean] = meanError;
        outOfFold[MouthInputSet.Mean] = meanOof;
        var best = MouthInputSet.Mean;
        MouthInputSet[] candidates = placementOnly
            ? [MouthInputSet.Head]
            : [MouthInputSet.Head, MouthInputSet.Generic, MouthInputSet.HeadGeneric, MouthInputSet.HeadGenericAudio];
        foreach (var set in candidates)
        {
            var x = Columns(inputs, frameOf, set);
            var cv = RidgeRegression.CrossValidate(x, y, m, x.Length / m, k, grid, folds, keepPredictions: true);
            errors[set] = cv.Error;
            outOfFold[set] = cv.OutOfFold!;
            lambdas[set] = cv.Lambda;
            if (cv.Error < errors[best] * (1 - ComplexityMargin))
            {
                best = set;
            }
        }

        var (smoothing, smoothingErrors) = ChooseSmoothing(outOfFold[best], y, frameOf, m, k, folds, options);
        var gain = placementOnly ? 1 : ChooseGain(SmoothedOutOfFold(outOfFold[best], frameOf, m, k, folds, smoothing, options.Fps), pca, shapes, inputs, frameOf);
        RidgeRegression? ridge = null;
        if (best != MouthInputSet.Mean)
        {
            var x = Columns(inputs, frameOf, best);
            ridge = RidgeRegression.Fit(x, y, m, x.Length / m, k, lambdas[best]);
        }

        var xh = Columns(inputs, frameOf, MouthInputSet.Head);
        var head = RidgeRegression.Fit(xh, y, m, MouthInputs.HeadColumns, k, lambdas[MouthInputSet.Head]);
        var headMean = new float[MouthInputs.HeadColumns];
        var headRange = new float[2 * MouthInputs.HeadColumns];
        Array.Fill(headRange, float.PositiveInfinity, 0, MouthInputs.HeadColumns);
        Array.Fill(headRange, float.NegativeInfinity, MouthInputs.HeadColumns, MouthInputs.HeadColumns);
        for (var r = 0; r < m; r++)
        {
            for (var j = 0; j < headMean.Length; j++)
            {
                var v = xh[(r * MouthInputs.HeadColumns) + j];
                headMean[j] += v / m;
                headRange[j] = Math.Min(headRange[j], v);
                headRange[MouthInputs.HeadColumns + j] = Math.Max(headRange[MouthInputs.HeadColumns + j], v);
            }
        }

        return new DubMouthModel(pca, best, ridge, head, headMean, headRange, errors, smoothing, smoothingErrors, gain, m, options.Fps) { Personal = !placementOnly };
    }

    // Frames with a tracked face, finite inputs and finite speech points; counts the voiced ones among them (none when
    // voiced is empty).
    private static List<int> UsableRows(MouthInputs inputs, ReadOnlySpan<float> shapes136, ReadOnlySpan<byte> usable, ReadOnlySpan<byte> voiced, int n, out int voicedRows)
    {
        var width = MouthInputs.Width;
        var frameOf = new List<int>(n);
        voicedRows = 0;
        Span<float> speech = stackalloc float[Dim];
        for (var i = 0; i < n; i++)
        {
            if (usable[i] == 0 || inputs.HeadKnown[i] == 0 || !AllFinite(inputs.Rows.AsSpan(i * width, width)))
            {
                continue;
            }

            SpeechPoints.Gather(shapes136.Slice(i * Landmarks68.FloatCount, Landmarks68.FloatCount), speech);
            if (!AllFinite(speech))
            {
                continue;
            }

            frameOf.Add(i);
            voicedRows += !voiced.IsEmpty && voiced[i] != 0 ? 1 : 0;
        }

        return frameOf;
    }

    /// <summary>Speech points ([count, 58], canonical frame) of frames first..first+count-1 of <paramref name="inputs"/>.</summary>
    public void Predict(MouthInputs inputs, int first, int count, Span<float> shapes58Out)
    {
        Check(inputs, first, count, shapes58Out);
        var k = _pca.Components;
        var coeffs = new float[count * k];
        if (_ridge is not null)
        {
            var row = new float[MouthInputs.Width];
            for (var i = 0; i < count; i++)
            {
                _ridge.Predict(Select(inputs, first + i, Set, row), coeffs.AsSpan(i * k, k));
            }
        }

        TemporalSmoothing.Apply(Smoothing, coeffs, count, k, _fps);
        var gain = (float)GenericGain;
        for (var i = 0; i < count; i++)
        {
            var shape = shapes58Out.Slice(i * Dim, Dim);
            _pca.Reconstruct(coeffs.AsSpan(i * k, k), shape);
            var motion = inputs.GenericMotion.AsSpan((first + i) * Dim, Dim);
            for (var j = 0; j < Dim; j++)
            {
                shape[j] += gain * motion[j];
            }
        }
    }

    // Out-of-fold coefficients smoothed as Predict will smooth them: within runs of consecutive frames of one block.
    private static float[] SmoothedOutOfFold(float[] outOfFold, List<int> frameOf, int m, int k, int folds, CoefficientSmoothing smoothing, double fps)
    {
        var work = (float[])outOfFold.Clone();
        for (var f = 0; f < folds; f++)
        {
            var (start, count) = RidgeRegression.Fold(m, folds, f);
            var runStart = start;
            for (var r = start + 1; r <= start + count; r++)
            {
                if (r == start + count || frameOf[r] != frameOf[r - 1] + 1)
                {
                    TemporalSmoothing.Apply(smoothing, work.AsSpan(runStart * k, (r - runStart) * k), r - runStart, k, fps);
                    runStart = r;
                }
            }
        }

        return work;
    }

    // The gain whose held-out shapes (the set's out-of-fold prediction plus gain × generic motion) are closest to
    // the real ones, by mean point distance (what M-LMD measures); ties go to the smaller gain.
    private static double ChooseGain(float[] outOfFold, MouthPca pca, float[] truth58, MouthInputs inputs, List<int> frameOf)
    {
        var k = pca.Components;
        var m = frameOf.Count;
        var baseShapes = new float[m * Dim];
        for (var r = 0; r < m; r++)
        {
            pca.Reconstruct(outOfFold.AsSpan(r * k, k), baseShapes.AsSpan(r * Dim, Dim));
        }

        var best = 0.0;
        var bestError = double.PositiveInfinity;
        foreach (var gain in GainGrid)
        {
            double error = 0;
            for (var r = 0; r < m; r++)
            {
                var motion = inputs.GenericMotion.AsSpan(frameOf[r] * Dim, Dim);
                for (var p = 0; p < Dim; p += 2)
                {
                    var dx = baseShapes[(r * Dim) + p] + (gain * motion[p]) - truth58[(r * Dim) + p];
                    var dy = baseShapes[(r * Dim) + p + 1] + (gain * motion[p + 1]) - truth58[(r * Dim) + p + 1];
                    error += Math.Sqrt((dx * dx) + (dy * dy));
                }
            }

            if (error < bestError * (1 - 1e-9))
            {
                best = gain;
                bestError = error;
            }
        }

        return best;
    }

    /// <summary>
    /// What the silence gate closes towards in each of frames first..first+count-1: this person's average mouth at
    /// the head's pose in that frame (the pose-only regression), with the inner lips sealed
    /// (<see cref="SpeechPoints.CloseLips"/>). It follows the pose, so a pause closes the lips without jumping the
    /// mouth back to where it sat in other frames, and it reads no audio, so nothing chatters inside the pause.
    /// </summary>
    /// <remarks>
    /// Why the average mouth rather than the least-open frames' (<see cref="GenericMouthModel.NeutralFrom"/>):
    /// those are lips pressed for /m/, /b/ and /p/, a shape people rarely hold between phrases. Over the 13 clips
    /// `pipeline eval-all` scores in shared/testdata, closing towards the pressed shape gave a mean held-out M-LMD
    /// of 0.94 × static, and towards the sealed average 0.89 ×.
    /// </remarks>
    public void ClosedShapes(MouthInputs inputs, int first, int count, Span<float> shapes58Out)
    {
        Check(inputs, first, count, shapes58Out);
        var k = _pca.Components;
        Span<float> c = stackalloc float[k];
        var row = new float[MouthInputs.Width];
        for (var i = 0; i < count; i++)
        {
            var output = shapes58Out.Slice(i * Dim, Dim);
            _head!.Predict(Select(inputs, first + i, MouthInputSet.Head, row), c);
            _pca.Reconstruct(c, output);
            SpeechPoints.CloseLips(output);
        }
    }

    private void Check(MouthInputs inputs, int first, int count, Span<float> shapes58Out)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (first < 0 || count < 0 || first + count > inputs.Frames || shapes58Out.Length < (long)count * Dim)
        {
            throw new ArgumentException($"frames {first}..{first + count - 1} of {inputs.Frames}, with room for {(long)count * Dim} floats", nameof(count));
        }
    }

    // The set's columns of one frame. An untracked frame's head block is the training mean (pose unknown: typical);
    // a pose beyond any the footage showed is clamped to the footage's range, since a linear fit extrapolates badly.
    private ReadOnlySpan<float> Select(MouthInputs inputs, int frame, MouthInputSet set, float[] scratch)
    {
        var width = MouthInputs.Width;
        var source = inputs.Rows.AsSpan(frame * width, width);
        var n = 0;
        foreach (var (start, length) in Blocks(set))
        {
            if (start == 0 && inputs.HeadKnown[frame] == 0)
            {
                _headMean.CopyTo(scratch.AsSpan(n));
            }
            else
            {
                source.Slice(start, length).CopyTo(scratch.AsSpan(n));
                if (start == 0)
                {
                    var head = scratch.AsSpan(n, length);
                    for (var j = 0; j < length; j++)
                    {
                        head[j] = Math.Clamp(head[j], _headRange[j], _headRange[length + j]);
                    }
                }
            }

            n += length;
        }

        return scratch.AsSpan(0, n);
    }

    private static float[] Columns(MouthInputs inputs, List<int> frameOf, MouthInputSet set)
    {
        var blocks = Blocks(set);
        var d = blocks.Sum(b => b.Length);
        var width = MouthInputs.Width;
        var x = new float[frameOf.Count * d];
        for (var r = 0; r < frameOf.Count; r++)
        {
            var source = inputs.Rows.AsSpan(frameOf[r] * width, width);
            var n = 0;
            foreach (var (start, length) in blocks)
            {
                source.Slice(start, length).CopyTo(x.AsSpan((r * d) + n, length));
                n += length;
            }
        }

        return x;
    }

    private static (int Start, int Length)[] Blocks(MouthInputSet set)
    {
        var head = (0, MouthInputs.HeadColumns);
        var generic = (MouthInputs.HeadColumns, MouthInputs.GenericColumns);
        var audio = (MouthInputs.HeadColumns + MouthInputs.GenericColumns, MouthInputs.AudioColumns);
        return set switch
        {
            MouthInputSet.Mean => [],
            MouthInputSet.Head => [head],
            MouthInputSet.Generic => [generic],
            MouthInputSet.HeadGeneric => [head, generic],
            MouthInputSet.HeadGenericAudio => [head, generic, audio],
            _ => throw new ArgumentOutOfRangeException(nameof(set), set, null),
        };
    }

    // The intercept-only model under the same blocked CV: each block predicted by the mean of the others.
    private static (double Error, float[] OutOfFold) MeanCv(float[] y, int m, int k, int folds)
    {
        var oof = new float[m * k];
        double sse = 0;
        var total = new double[k];
        for (var r = 0; r < m; r++)
        {
            for (var o = 0; o < k; o++)
            {
                total[o] += y[(r * k) + o];
            }
        }

        for (var f = 0; f < folds; f++)
        {
            var (start, count) = RidgeRegression.Fold(m, folds, f);
            var rest = new double[k];
            for (var o = 0; o < k; o++)
            {
                rest[o] = total[o];
                for (var r = start; r < start + count; r++)
                {
                    rest[o] -= y[(r * k) + o];
                }

                rest[o] /= m - count;
            }

            for (var r = start; r < start + count; r++)
            {
                for (var o = 0; o < k; o++)
                {
                    oof[(r * k) + o] = (float)rest[o];
                    var e = rest[o] - y[(r * k) + o];
                    sse += e * e;
                }
            }
        }

        return (sse / ((double)m * k), oof);
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
        var best = candidates[0];
        foreach (var candidate in candidates)
        {
            var work = SmoothedOutOfFold(outOfFold, frameOf, m, k, folds, candidate, options.Fps);
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
}
