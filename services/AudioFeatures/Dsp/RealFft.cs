namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// FFT of a real signal of even length N through one complex FFT of N/2 points (even samples as the real part,
/// odd samples as the imaginary part, then one split pass): half the work of a complex FFT of the zero-imaginary
/// signal. Returns bins 0..N/2.
/// </summary>
public sealed class RealFft
{
    private readonly Fft _half;
    private readonly float[] _zr;
    private readonly float[] _zi;
    private readonly float[] _cos;
    private readonly float[] _sin;

    public RealFft(int size)
    {
        if (size < 2 || size % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "a real FFT needs an even size");
        }

        Size = size;
        _half = new Fft(size / 2);
        _zr = new float[size / 2];
        _zi = new float[size / 2];
        _cos = new float[(size / 2) + 1];
        _sin = new float[(size / 2) + 1];
        for (var k = 0; k <= size / 2; k++)
        {
            _cos[k] = (float)Math.Cos(-2 * Math.PI * k / size);
            _sin[k] = (float)Math.Sin(-2 * Math.PI * k / size);
        }
    }

    public int Size { get; }

    public int Bins => (Size / 2) + 1;

    /// <summary>X[k] for k = 0..N/2 of the real <paramref name="signal"/> (length N) into <paramref name="re"/>, <paramref name="im"/>.</summary>
    public void Forward(ReadOnlySpan<float> signal, Span<float> re, Span<float> im)
    {
        if (signal.Length != Size || re.Length < Bins || im.Length < Bins)
        {
            throw new ArgumentException($"the real FFT is planned for {Size} points and {Bins} bins");
        }

        var half = Size / 2;
        for (var n = 0; n < half; n++)
        {
            _zr[n] = signal[2 * n];
            _zi[n] = signal[(2 * n) + 1];
        }

        _half.Forward(_zr, _zi);

        // With Z = FFT(even + i odd): E[k] = (Z[k] + conj Z[-k]) / 2, O[k] = (Z[k] - conj Z[-k]) / 2i,
        // and X[k] = E[k] + W^k O[k].
        for (var k = 0; k <= half; k++)
        {
            var a = k % half;
            var b = (half - k) % half;
            float zr = _zr[a], zi = _zi[a], cr = _zr[b], ci = -_zi[b];
            float er = 0.5f * (zr + cr), ei = 0.5f * (zi + ci);
            float dr = 0.5f * (zr - cr), di = 0.5f * (zi - ci);

            // (d) / i = -i d = (di, -dr)
            float or = di, oi = -dr;
            float wr = _cos[k], wi = _sin[k];
            re[k] = er + ((or * wr) - (oi * wi));
            im[k] = ei + ((or * wi) + (oi * wr));
        }
    }
}
