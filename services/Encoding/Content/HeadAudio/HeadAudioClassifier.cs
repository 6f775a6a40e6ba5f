namespace Pipeline.Encoding.Content.HeadAudio;

/// <summary>
/// classifier.mjs: squared Mahalanobis distance of a feature vector to every Gaussian prototype, silence prototypes'
/// distances divided by silSensitivity (1.2). The JS then takes the nearest prototype's viseme and a 6-vote majority;
/// offline we want probabilities instead, so <see cref="Posterior"/> turns the nearest prototype per viseme into
/// p(v) ∝ exp(-d_v / (2T)) — the Gaussian likelihood without the determinant, which the model file does not carry.
/// </summary>
public sealed class HeadAudioClassifier
{
    private readonly float[][] _mu;
    private readonly float[][] _sigmaInvLower;
    private readonly int[] _viseme;
    private readonly double[] _distances;
    private readonly double[] _best = new double[HeadAudioVisemes.Count];
    private readonly float[] _diff = new float[HeadAudioModel.Dimensions];

    public HeadAudioClassifier(HeadAudioModel model, double silSensitivity = 1.2)
    {
        ArgumentNullException.ThrowIfNull(model);
        _mu = model.Prototypes.Select(p => p.Mu).ToArray();
        _sigmaInvLower = model.Prototypes.Select(p => p.SigmaInvLower).ToArray();
        _viseme = model.Prototypes.Select(p => (int)p.Viseme).ToArray();
        _distances = new double[_mu.Length];
        SilSensitivity = silSensitivity;
    }

    public double SilSensitivity { get; }

    /// <summary>Distances of the last <see cref="Classify"/>, one per prototype.</summary>
    public ReadOnlySpan<double> Distances => _distances;

    /// <summary>Computes all distances; returns the HeadAudio viseme id of the nearest prototype (the JS's minP; ties to the later).</summary>
    public int Classify(ReadOnlySpan<float> vector)
    {
        var minD = double.PositiveInfinity;
        var minP = 0;
        for (var p = 0; p < _mu.Length; p++)
        {
            var d = Mahalanobis(vector, _mu[p], _sigmaInvLower[p]);
            if (_viseme[p] == HeadAudioVisemes.Sil)
            {
                d /= SilSensitivity;
            }

            _distances[p] = d;
            if (d <= minD)
            {
                minD = d;
                minP = p;
            }
        }

        return _viseme[minP];
    }

    /// <summary>
    /// Classifies and writes a distribution over OUR visemes (<see cref="Visemes"/> order) into <paramref name="posterior"/>.
    /// </summary>
    public int Posterior(ReadOnlySpan<float> vector, double temperature, Span<float> posterior)
    {
        var nearest = Classify(vector);
        Array.Fill(_best, double.PositiveInfinity);
        for (var p = 0; p < _distances.Length; p++)
        {
            _best[_viseme[p]] = Math.Min(_best[_viseme[p]], _distances[p]);
        }

        var min = double.PositiveInfinity;
        foreach (var d in _best)
        {
            min = Math.Min(min, d);
        }

        posterior.Clear();
        var scale = -0.5 / temperature;
        var sum = 0.0;
        for (var v = 0; v < _best.Length; v++)
        {
            if (double.IsFinite(_best[v]))
            {
                var w = Math.Exp((_best[v] - min) * scale);
                posterior[HeadAudioVisemes.ToViseme(v)] += (float)w;
                sum += w;
            }
        }

        var inv = (float)(1 / sum);
        for (var v = 0; v < posterior.Length; v++)
        {
            posterior[v] *= inv;
        }

        return nearest;
    }

    // The JS walks the full matrix through an index table; with the packed row-major lower triangle this is the same sum.
    private double Mahalanobis(ReadOnlySpan<float> v, float[] mu, float[] lower)
    {
        var diff = _diff;
        for (var i = 0; i < diff.Length; i++)
        {
            diff[i] = v[i] - mu[i]; // a Float32Array in the JS
        }

        var d = 0.0;
        for (var i = 0; i < diff.Length; i++)
        {
            var row = i * (i + 1) / 2;
            double di = diff[i];
            var sum = lower[row + i] * di * di;
            for (var j = 0; j < i; j++)
            {
                sum += 2.0 * lower[row + j] * di * diff[j];
            }

            d += sum;
        }

        return d;
    }
}
