using System.Numerics;

namespace Pipeline.Motion.Prediction;

/// <summary>
/// The two double-precision kernels that dominate fitting (Gram accumulation, Cholesky, prediction), SIMD-wide
/// via <see cref="Vector{T}"/>; written here because the motion service carries no BLAS.
/// </summary>
internal static class VectorMath
{
    /// <summary>Σ a[i]·b[i] over the shorter length's worth of <paramref name="a"/>.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = a.Length;
        b = b[..n];
        var i = 0;
        double s = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                acc += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
            }

            s = Vector.Sum(acc);
        }

        for (; i < n; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    /// <summary>dst[i] += scale·src[i].</summary>
    public static void AddScaled(Span<double> dst, double scale, ReadOnlySpan<double> src)
    {
        var n = dst.Length;
        src = src[..n];
        var i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var f = new Vector<double>(scale);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                (new Vector<double>(dst[i..]) + (f * new Vector<double>(src[i..]))).CopyTo(dst[i..]);
            }
        }

        for (; i < n; i++)
        {
            dst[i] += scale * src[i];
        }
    }
}
