namespace Pipeline.Motion.Evaluation;

/// <summary>
/// The leading eigenvector of a small symmetric positive semi-definite matrix (a covariance), by power
/// iteration: the baselines need only the first principal direction of a 58-dimensional shape, where a full
/// eigen-decomposition would be more code for nothing.
/// </summary>
internal static class PrincipalDirection
{
    private const int MaxIterations = 1000;

    /// <param name="covariance">Row-major [n, n], symmetric.</param>
    /// <param name="direction">Receives the unit eigenvector of the largest eigenvalue; all zeros when the matrix is.</param>
    public static void Leading(ReadOnlySpan<double> covariance, int n, Span<double> direction)
    {
        if (covariance.Length < n * n || direction.Length < n)
        {
            throw new ArgumentException($"expected a {n}x{n} matrix and {n} outputs");
        }

        var v = direction[..n];
        Span<double> next = n <= 256 ? stackalloc double[n] : new double[n];

        // Start from the column of the largest variance, C·e_i = Σ λ_k u_k u_k[i]: the leading eigenvector is
        // already weighted up, and it is missing only if its i-th coordinate is exactly 0, which the dominant
        // coordinate of a real shape's variance never is.
        var start = 0;
        for (var i = 1; i < n; i++)
        {
            if (covariance[(i * n) + i] > covariance[(start * n) + start])
            {
                start = i;
            }
        }

        for (var i = 0; i < n; i++)
        {
            v[i] = covariance[(i * n) + start];
        }

        if (!Normalise(v))
        {
            v.Clear();
            return;
        }

        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            for (var i = 0; i < n; i++)
            {
                double sum = 0;
                for (var j = 0; j < n; j++)
                {
                    sum += covariance[(i * n) + j] * v[j];
                }

                next[i] = sum;
            }

            if (!Normalise(next))
            {
                v.Clear();
                return;
            }

            double change = 0;
            for (var i = 0; i < n; i++)
            {
                change = Math.Max(change, Math.Abs(next[i] - v[i]));
            }

            next.CopyTo(v);
            if (change < 1e-12)
            {
                return;
            }
        }
    }

    private static bool Normalise(Span<double> v)
    {
        double norm = 0;
        foreach (var x in v)
        {
            norm += x * x;
        }

        norm = Math.Sqrt(norm);
        if (!(norm > 1e-300))
        {
            return false;
        }

        foreach (ref var x in v)
        {
            x /= norm;
        }

        return true;
    }
}
