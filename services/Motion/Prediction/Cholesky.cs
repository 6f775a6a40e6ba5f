namespace Pipeline.Motion.Prediction;

/// <summary>
/// Cholesky factorisation and solve for small dense symmetric positive-definite systems (row-major doubles).
/// Ridge normal equations are SPD by construction (XᵀX + λI with λ &gt; 0), so Cholesky is the cheapest stable
/// solver; written here because the motion service carries no linear-algebra package.
/// </summary>
internal static class Cholesky
{
    /// <summary>
    /// Factorises <paramref name="a"/> (d×d, row-major) in place into its lower triangle L with A = L·Lᵀ;
    /// the strict upper triangle is left untouched. Returns false when a pivot is not positive (A not SPD to
    /// working precision).
    /// </summary>
    public static bool TryFactor(Span<double> a, int d)
    {
        for (var j = 0; j < d; j++)
        {
            var rowJ = a.Slice(j * d, d);
            var diag = rowJ[j] - VectorMath.Dot(rowJ[..j], rowJ[..j]);

            if (!(diag > 0) || !double.IsFinite(diag))
            {
                return false;
            }

            var ljj = Math.Sqrt(diag);
            rowJ[j] = ljj;
            for (var i = j + 1; i < d; i++)
            {
                var rowI = a.Slice(i * d, d);
                rowI[j] = (rowI[j] - VectorMath.Dot(rowI[..j], rowJ[..j])) / ljj;
            }
        }

        return true;
    }

    /// <summary>
    /// Solves L·Lᵀ·X = B in place for the <paramref name="k"/> right-hand sides stored column-interleaved in
    /// <paramref name="b"/> (d×k, row-major), with L from <see cref="TryFactor"/>.
    /// </summary>
    public static void Solve(ReadOnlySpan<double> l, int d, Span<double> b, int k)
    {
        // Forward: L·Y = B.
        for (var i = 0; i < d; i++)
        {
            var rowL = l.Slice(i * d, d);
            var bi = b.Slice(i * k, k);
            for (var p = 0; p < i; p++)
            {
                var lip = rowL[p];
                if (lip == 0)
                {
                    continue;
                }

                var bp = b.Slice(p * k, k);
                for (var c = 0; c < k; c++)
                {
                    bi[c] -= lip * bp[c];
                }
            }

            var inv = 1 / rowL[i];
            for (var c = 0; c < k; c++)
            {
                bi[c] *= inv;
            }
        }

        // Backward: Lᵀ·X = Y.
        for (var i = d - 1; i >= 0; i--)
        {
            var bi = b.Slice(i * k, k);
            for (var p = i + 1; p < d; p++)
            {
                var lpi = l[p * d + i];
                if (lpi == 0)
                {
                    continue;
                }

                var bp = b.Slice(p * k, k);
                for (var c = 0; c < k; c++)
                {
                    bi[c] -= lpi * bp[c];
                }
            }

            var inv = 1 / l[i * d + i];
            for (var c = 0; c < k; c++)
            {
                bi[c] *= inv;
            }
        }
    }
}
