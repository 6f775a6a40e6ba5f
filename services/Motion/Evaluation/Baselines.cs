using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Evaluation;

/// <summary>
/// The reference points a learned model has to beat, each fitted on the training part of a clip only and
/// applied to its test part. Both keep the test frame's own tracked face everywhere except the
/// speech-driven points (jaw 4-12 and mouth 48-67), so they are judged on the same thing the model predicts.
/// Faces are canonical (see <see cref="CanonicalFace"/>), 68 interleaved points per frame.
/// </summary>
public static class Baselines
{
    private const int Stride = Landmarks68.FloatCount;

    /// <summary>The points speech moves: the lower jaw (4-12) and the whole mouth (48-67).</summary>
    private static ReadOnlySpan<byte> SpeechPoints =>
    [
        4, 5, 6, 7, 8, 9, 10, 11, 12,
        48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67,
    ];

    private static int Dims => 2 * SpeechPoints.Length;

    /// <summary>
    /// "Static": every test frame is its own real face with the speech points replaced by their mean over the
    /// valid training frames — a mouth that never moves, placed perfectly on average.
    /// </summary>
    public static float[] Static(ReadOnlySpan<float> trainFaces, ReadOnlySpan<byte> trainValid, int trainFrames, ReadOnlySpan<float> testBaseFaces, int testFrames)
    {
        RequireTrain(trainFaces, trainValid, trainFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(testFrames);
        LandmarkMetrics.RequireFaces(testBaseFaces, testFrames, nameof(testBaseFaces));

        Span<double> mean = stackalloc double[Dims];
        MeanShape(trainFaces, trainValid, trainFrames, mean);
        var output = testBaseFaces[..(testFrames * Stride)].ToArray();
        for (var f = 0; f < testFrames; f++)
        {
            Write(output.AsSpan(f * Stride, Stride), mean, 0, mean); // weight 0: the mean shape itself
        }

        return output;
    }

    /// <summary>
    /// "Energy": opening proportional to loudness. The speech points are the training mean plus
    /// a·(e − ē)·u, where u is the first principal direction of the training speech-point shapes (the dominant
    /// mode, which in talking clips is the jaw-and-lips opening), e the frame's speech envelope, ē its mean over
    /// the training frames and a the least-squares slope of the shapes' projection on u against e − ē on the
    /// valid training frames.
    /// </summary>
    /// <remarks>
    /// e is linear RMS amplitude, lightly smoothed, from the per-frame energy in dBFS — the same envelope the
    /// sync metric uses (<see cref="SpeechEnvelope"/>): in dB the silences, whose floor wanders by tens of dB
    /// while the mouth stays shut, would dominate the fit. u is oriented so that +u opens the inner lips, so
    /// a &gt; 0 reads "louder opens wider". Constant training energy or shapes give a = 0, i.e. the static baseline.
    /// By construction this baseline is in sync with the audio at lag 0; it shows what sync alone is worth
    /// without articulation.
    /// </remarks>
    public static float[] Energy(ReadOnlySpan<float> trainFaces, ReadOnlySpan<byte> trainValid, ReadOnlySpan<float> trainEnergyDbfs, int trainFrames, ReadOnlySpan<float> testBaseFaces, ReadOnlySpan<float> testEnergyDbfs, int testFrames)
    {
        RequireTrain(trainFaces, trainValid, trainFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(testFrames);
        LandmarkMetrics.RequireFaces(testBaseFaces, testFrames, nameof(testBaseFaces));
        LandmarkMetrics.RequireFrames(testEnergyDbfs, testFrames, nameof(testEnergyDbfs));
        var trainEnvelope = SpeechEnvelope.FromDbfs(trainEnergyDbfs, trainFrames);
        var testEnvelope = SpeechEnvelope.FromDbfs(testEnergyDbfs, testFrames);

        var dims = Dims;
        Span<double> mean = stackalloc double[dims];
        Span<double> shape = stackalloc double[dims];
        Span<double> direction = stackalloc double[dims];
        var covariance = new double[dims * dims];
        MeanShape(trainFaces, trainValid, trainFrames, mean);

        double envelopeSum = 0, envelopeMin = double.PositiveInfinity, envelopeMax = double.NegativeInfinity;
        var used = 0;
        for (var f = 0; f < trainFrames; f++)
        {
            if (!TryRead(trainFaces, trainValid, f, shape))
            {
                continue;
            }

            for (var i = 0; i < dims; i++)
            {
                shape[i] -= mean[i];
            }

            for (var i = 0; i < dims; i++)
            {
                var row = covariance.AsSpan(i * dims, dims);
                for (var j = 0; j < dims; j++)
                {
                    row[j] += shape[i] * shape[j];
                }
            }

            envelopeSum += trainEnvelope[f];
            envelopeMin = Math.Min(envelopeMin, trainEnvelope[f]);
            envelopeMax = Math.Max(envelopeMax, trainEnvelope[f]);
            used++;
        }

        PrincipalDirection.Leading(covariance, dims, direction);
        OrientToOpen(direction);
        var envelopeMean = envelopeSum / used;

        // Least squares through the origin of the centred projection on the centred envelope: both have zero
        // mean over these frames, so this is the ordinary regression slope.
        double sxy = 0, sxx = 0;
        for (var f = 0; f < trainFrames; f++)
        {
            if (!TryRead(trainFaces, trainValid, f, shape))
            {
                continue;
            }

            double projection = 0;
            for (var i = 0; i < dims; i++)
            {
                projection += (shape[i] - mean[i]) * direction[i];
            }

            var x = trainEnvelope[f] - envelopeMean;
            sxy += projection * x;
            sxx += x * x;
        }

        // A constant training loudness says nothing about how loudness opens the mouth: fall back to static.
        var slope = Statistics.IsConstant(envelopeMin, envelopeMax) ? 0 : sxy / sxx;
        var output = testBaseFaces[..(testFrames * Stride)].ToArray();
        for (var f = 0; f < testFrames; f++)
        {
            Write(output.AsSpan(f * Stride, Stride), mean, slope * (testEnvelope[f] - envelopeMean), direction);
        }

        return output;
    }

    private static void RequireTrain(ReadOnlySpan<float> trainFaces, ReadOnlySpan<byte> trainValid, int trainFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trainFrames);
        LandmarkMetrics.RequireFaces(trainFaces, trainFrames, nameof(trainFaces));
        LandmarkMetrics.RequireFrames(trainValid, trainFrames, nameof(trainValid));
    }

    /// <summary>Mean speech shape over the usable training frames; throws when there is none to fit on.</summary>
    private static void MeanShape(ReadOnlySpan<float> faces, ReadOnlySpan<byte> valid, int frames, Span<double> mean)
    {
        Span<double> shape = stackalloc double[Dims];
        mean.Clear();
        var used = 0;
        for (var f = 0; f < frames; f++)
        {
            if (!TryRead(faces, valid, f, shape))
            {
                continue;
            }

            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] += shape[i];
            }

            used++;
        }

        if (used == 0)
        {
            throw new ArgumentException("no valid training frame with finite speech points: nothing to fit a baseline on", nameof(valid));
        }

        for (var i = 0; i < mean.Length; i++)
        {
            mean[i] /= used;
        }
    }

    /// <summary>Reads frame f's speech points; false when the frame is invalid or any of them is not finite.</summary>
    private static bool TryRead(ReadOnlySpan<float> faces, ReadOnlySpan<byte> valid, int f, Span<double> shape)
    {
        if (valid[f] == 0)
        {
            return false;
        }

        var face = faces.Slice(f * Stride, Stride);
        var points = SpeechPoints;
        for (var k = 0; k < points.Length; k++)
        {
            var x = face[2 * points[k]];
            var y = face[(2 * points[k]) + 1];
            if (!float.IsFinite(x) || !float.IsFinite(y))
            {
                return false;
            }

            shape[2 * k] = x;
            shape[(2 * k) + 1] = y;
        }

        return true;
    }

    /// <summary>Writes mean + weight·direction into the face's speech points.</summary>
    private static void Write(Span<float> face, ReadOnlySpan<double> mean, double weight, ReadOnlySpan<double> direction)
    {
        var points = SpeechPoints;
        for (var k = 0; k < points.Length; k++)
        {
            face[2 * points[k]] = (float)(mean[2 * k] + (weight * direction[2 * k]));
            face[(2 * points[k]) + 1] = (float)(mean[(2 * k) + 1] + (weight * direction[(2 * k) + 1]));
        }
    }

    /// <summary>
    /// Flips u so that moving along +u widens the inner-lip gap (lower inner lip 65-67 down, upper 61-63 up,
    /// y pointing down the canonical face); eigenvectors have no sign of their own.
    /// </summary>
    private static void OrientToOpen(Span<double> direction)
    {
        var points = SpeechPoints;
        double opening = 0;
        for (var k = 0; k < points.Length; k++)
        {
            var y = direction[(2 * k) + 1];
            opening += points[k] switch
            {
                65 or 66 or 67 => y,
                61 or 62 or 63 => -y,
                _ => 0,
            };
        }

        if (opening < 0)
        {
            foreach (ref var d in direction)
            {
                d = -d;
            }
        }
    }
}
