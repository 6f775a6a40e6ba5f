namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// In-place complex FFT of one fixed size, any size whose factors are small (Wav2Lip needs 800 = 2^5 * 5^2, so a
/// power-of-two FFT is not enough). Mixed-radix Stockham decimation in frequency with radix-4/2 fast paths and a
/// generic small-prime butterfly. Twiddles and scratch are planned once; <see cref="Forward"/> allocates nothing.
/// </summary>
public sealed class Fft
{
    private readonly int[] _factors;
    private readonly float[] _cos;
    private readonly float[] _sin;
    private readonly float[] _workRe;
    private readonly float[] _workIm;
    private readonly float[] _smallRe;
    private readonly float[] _smallIm;

    public Fft(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
        _factors = Factor(size);
        _cos = new float[size];
        _sin = new float[size];
        for (var t = 0; t < size; t++)
        {
            // Angles in double: the table feeds every butterfly, float angles would cost accuracy at n = 800.
            var angle = -2.0 * Math.PI * t / size;
            _cos[t] = (float)Math.Cos(angle);
            _sin[t] = (float)Math.Sin(angle);
        }

        _workRe = new float[size];
        _workIm = new float[size];
        var largest = _factors.Length == 0 ? 1 : _factors.Max();
        _smallRe = new float[largest];
        _smallIm = new float[largest];
    }

    public int Size { get; }

    /// <summary>X[k] = sum_n x[n] e^{-2 pi i k n / N}, in place on (re, im).</summary>
    public void Forward(Span<float> re, Span<float> im)
    {
        if (re.Length != Size || im.Length != Size)
        {
            throw new ArgumentException($"the FFT is planned for {Size} points");
        }

        var n = Size;
        var stride = 1;
        Span<float> xr = re, xi = im, yr = _workRe, yi = _workIm;
        foreach (var p in _factors)
        {
            var m = n / p;
            var twiddleStep = Size / n;
            switch (p)
            {
                case 4:
                    Radix4(xr, xi, yr, yi, m, stride, twiddleStep);
                    break;
                case 2:
                    Radix2(xr, xi, yr, yi, m, stride, twiddleStep);
                    break;
                case 5:
                    Radix5(xr, xi, yr, yi, m, stride, twiddleStep);
                    break;
                default:
                    RadixGeneric(xr, xi, yr, yi, p, m, stride, twiddleStep);
                    break;
            }

            var tr = xr;
            var ti = xi;
            xr = yr;
            xi = yi;
            yr = tr;
            yi = ti;
            n = m;
            stride *= p;
        }

        if (_factors.Length % 2 == 1)
        {
            // An odd number of passes leaves the result in the work buffers.
            xr.CopyTo(re);
            xi.CopyTo(im);
        }
    }

    private static int[] Factor(int size)
    {
        var factors = new List<int>();
        var n = size;
        while (n % 4 == 0)
        {
            factors.Add(4);
            n /= 4;
        }

        while (n % 2 == 0)
        {
            factors.Add(2);
            n /= 2;
        }

        for (var p = 3; n > 1; p += 2)
        {
            while (n % p == 0)
            {
                factors.Add(p);
                n /= p;
            }

            if (p > 64 && n > 1)
            {
                throw new ArgumentException($"FFT size {size} has a prime factor above 64", nameof(size));
            }
        }

        return [.. factors];
    }

    private void Radix2(Span<float> xr, Span<float> xi, Span<float> yr, Span<float> yi, int m, int s, int step)
    {
        for (var k = 0; k < m; k++)
        {
            var wr = _cos[k * step];
            var wi = _sin[k * step];
            for (var q = 0; q < s; q++)
            {
                var a = q + (s * k);
                var b = a + (s * m);
                float ar = xr[a], ai = xi[a], br = xr[b], bi = xi[b];
                var o = q + (s * 2 * k);
                yr[o] = ar + br;
                yi[o] = ai + bi;
                float dr = ar - br, di = ai - bi;
                yr[o + s] = (dr * wr) - (di * wi);
                yi[o + s] = (dr * wi) + (di * wr);
            }
        }
    }

    private void Radix4(Span<float> xr, Span<float> xi, Span<float> yr, Span<float> yi, int m, int s, int step)
    {
        for (var k = 0; k < m; k++)
        {
            float w1r = _cos[k * step], w1i = _sin[k * step];
            float w2r = _cos[2 * k * step], w2i = _sin[2 * k * step];
            float w3r = _cos[3 * k * step], w3i = _sin[3 * k * step];
            for (var q = 0; q < s; q++)
            {
                var i0 = q + (s * k);
                var i1 = i0 + (s * m);
                var i2 = i1 + (s * m);
                var i3 = i2 + (s * m);
                float a0r = xr[i0], a0i = xi[i0], a1r = xr[i1], a1i = xi[i1];
                float a2r = xr[i2], a2i = xi[i2], a3r = xr[i3], a3i = xi[i3];

                // 4-point DFT with -i as the primitive root.
                float s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
                float s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
                float b0r = s02r + s13r, b0i = s02i + s13i;
                float b2r = s02r - s13r, b2i = s02i - s13i;
                float b1r = d02r + d13i, b1i = d02i - d13r;
                float b3r = d02r - d13i, b3i = d02i + d13r;

                var o = q + (s * 4 * k);
                yr[o] = b0r;
                yi[o] = b0i;
                yr[o + s] = (b1r * w1r) - (b1i * w1i);
                yi[o + s] = (b1r * w1i) + (b1i * w1r);
                yr[o + (2 * s)] = (b2r * w2r) - (b2i * w2i);
                yi[o + (2 * s)] = (b2r * w2i) + (b2i * w2r);
                yr[o + (3 * s)] = (b3r * w3r) - (b3i * w3i);
                yi[o + (3 * s)] = (b3r * w3i) + (b3i * w3r);
            }
        }
    }

    private void Radix5(Span<float> xr, Span<float> xi, Span<float> yr, Span<float> yi, int m, int s, int step)
    {
        var c1 = (float)Math.Cos(2 * Math.PI / 5);
        var c2 = (float)Math.Cos(4 * Math.PI / 5);
        var s1 = (float)Math.Sin(2 * Math.PI / 5);
        var s2 = (float)Math.Sin(4 * Math.PI / 5);
        for (var k = 0; k < m; k++)
        {
            float w1r = _cos[k * step], w1i = _sin[k * step];
            float w2r = _cos[2 * k * step], w2i = _sin[2 * k * step];
            float w3r = _cos[3 * k * step], w3i = _sin[3 * k * step];
            float w4r = _cos[4 * k * step], w4i = _sin[4 * k * step];
            for (var q = 0; q < s; q++)
            {
                var i0 = q + (s * k);
                var i1 = i0 + (s * m);
                var i2 = i1 + (s * m);
                var i3 = i2 + (s * m);
                var i4 = i3 + (s * m);
                float a0r = xr[i0], a0i = xi[i0];
                float t1r = xr[i1] + xr[i4], t1i = xi[i1] + xi[i4];
                float t2r = xr[i2] + xr[i3], t2i = xi[i2] + xi[i3];
                float t3r = xr[i1] - xr[i4], t3i = xi[i1] - xi[i4];
                float t4r = xr[i2] - xr[i3], t4i = xi[i2] - xi[i3];

                // 5-point DFT: pairs (1,4) and (2,3) share cosines; their differences carry the sines.
                float p1r = a0r + (c1 * t1r) + (c2 * t2r), p1i = a0i + (c1 * t1i) + (c2 * t2i);
                float p2r = a0r + (c2 * t1r) + (c1 * t2r), p2i = a0i + (c2 * t1i) + (c1 * t2i);
                float u1r = (s1 * t3r) + (s2 * t4r), u1i = (s1 * t3i) + (s2 * t4i);
                float u2r = (s2 * t3r) - (s1 * t4r), u2i = (s2 * t3i) - (s1 * t4i);

                // b1 = p1 - i u1, b4 = p1 + i u1, b2 = p2 - i u2, b3 = p2 + i u2.
                float b1r = p1r + u1i, b1i = p1i - u1r;
                float b4r = p1r - u1i, b4i = p1i + u1r;
                float b2r = p2r + u2i, b2i = p2i - u2r;
                float b3r = p2r - u2i, b3i = p2i + u2r;

                var o = q + (s * 5 * k);
                yr[o] = a0r + t1r + t2r;
                yi[o] = a0i + t1i + t2i;
                yr[o + s] = (b1r * w1r) - (b1i * w1i);
                yi[o + s] = (b1r * w1i) + (b1i * w1r);
                yr[o + (2 * s)] = (b2r * w2r) - (b2i * w2i);
                yi[o + (2 * s)] = (b2r * w2i) + (b2i * w2r);
                yr[o + (3 * s)] = (b3r * w3r) - (b3i * w3i);
                yi[o + (3 * s)] = (b3r * w3i) + (b3i * w3r);
                yr[o + (4 * s)] = (b4r * w4r) - (b4i * w4i);
                yi[o + (4 * s)] = (b4r * w4i) + (b4i * w4r);
            }
        }
    }

    private void RadixGeneric(Span<float> xr, Span<float> xi, Span<float> yr, Span<float> yi, int p, int m, int s, int step)
    {
        var rootStep = Size / p;
        var ar = _smallRe.AsSpan(0, p);
        var ai = _smallIm.AsSpan(0, p);
        for (var k = 0; k < m; k++)
        {
            for (var q = 0; q < s; q++)
            {
                for (var j = 0; j < p; j++)
                {
                    var index = q + (s * (k + (j * m)));
                    ar[j] = xr[index];
                    ai[j] = xi[index];
                }

                for (var r = 0; r < p; r++)
                {
                    float sr = 0, si = 0;
                    for (var j = 0; j < p; j++)
                    {
                        var t = (j * r % p) * rootStep;
                        sr += (ar[j] * _cos[t]) - (ai[j] * _sin[t]);
                        si += (ar[j] * _sin[t]) + (ai[j] * _cos[t]);
                    }

                    var tw = r * k * step; // r < p and k < m, so r * k * step < Size
                    var o = q + (s * ((p * k) + r));
                    yr[o] = (sr * _cos[tw]) - (si * _sin[tw]);
                    yi[o] = (sr * _sin[tw]) + (si * _cos[tw]);
                }
            }
        }
    }
}
