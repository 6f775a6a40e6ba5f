namespace Pipeline.Motion.Prediction;

/// <summary>
/// Eigen-decomposition of a small dense symmetric matrix by the cyclic Jacobi method. Chosen over QR-based
/// solvers for its simplicity and accuracy: on the ≤ 60-dimensional covariances of mouth shapes it converges
/// in a handful of sweeps and yields orthonormal eigenvectors to machine precision.
/// </summary>
internal static class SymmetricEigen
{
    private const int MaxSweeps = 100;

    /// <summary>
    /// Decomposes <paramref name="a"/> (d×d row-major, symmetric; destroyed) into eigenvalues sorted in
    /// descending order and the matching unit eigenvectors, one per ROW of <paramref name="vectors"/> (d×d).
    /// </summary>
    public static void Decompose(Span<double> a, int d, Span<double> values, Span<double> vectors)
    {
        if (a.Length < d * d || vectors.Length < d * d || values.Length < d)
        {
            throw new ArgumentException($"a {d}×{d} decomposition needs {d * d} elements for the matrix and vectors and {d} for the values");
        }

        // v holds the eigenvectors as COLUMNS while rotating (V ← V·J), transposed into rows at the end.
        var v = new double[d * d];
        for (var i = 0; i < d; i++)
        {
            v[i * d + i] = 1;
        }

        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0, diag = 0;
            for (var i = 0; i < d; i++)
            {
                diag += a[i * d + i] * a[i * d + i];
                for (var j = i + 1; j < d; j++)
                {
                    off += a[i * d + j] * a[i * d + j];
                }
            }

            // Converged when what is left off the diagonal is negligible against the diagonal itself.
            if (off <= 1e-30 * Math.Max(diag, double.Epsilon))
            {
                break;
            }

            for (var p = 0; p < d - 1; p++)
            {
                for (var q = p + 1; q < d; q++)
                {
                    Rotate(a, v, d, p, q);
                }
            }
        }

        Span<int> order = d <= 256 ? stackalloc int[d] : new int[d];
        for (var i = 0; i < d; i++)
        {
            order[i] = i;
        }

        // Insertion sort by descending eigenvalue: d is tiny and this keeps the sort allocation-free.
        for (var i = 1; i < d; i++)
        {
            var key = order[i];
            var kv = a[key * d + key];
            var j = i - 1;
            while (j >= 0 && a[order[j] * d + order[j]] < kv)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = key;
        }

        for (var r = 0; r < d; r++)
        {
            var src = order[r];
            values[r] = a[src * d + src];
            for (var i = 0; i < d; i++)
            {
                vectors[r * d + i] = v[i * d + src];
            }
        }
    }

    /// <summary>One Jacobi rotation that zeroes a[p,q] (Numerical Recipes' numerically careful form).</summary>
    private static void Rotate(Span<double> a, double[] v, int d, int p, int q)
    {
        var apq = a[p * d + q];
        if (apq == 0)
        {
            return;
        }

        var app = a[p * d + p];
        var aqq = a[q * d + q];
        var theta = (aqq - app) / (2 * apq);
        var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        if (theta == 0)
        {
            t = 1;
        }

        var c = 1 / Math.Sqrt(t * t + 1);
        var s = t * c;

        for (var k = 0; k < d; k++)
        {
            var akp = a[k * d + p];
            var akq = a[k * d + q];
            a[k * d + p] = c * akp - s * akq;
            a[k * d + q] = s * akp + c * akq;
        }

        for (var k = 0; k < d; k++)
        {
            var apk = a[p * d + k];
            var aqk = a[q * d + k];
            a[p * d + k] = c * apk - s * aqk;
            a[q * d + k] = s * apk + c * aqk;
        }

        for (var k = 0; k < d; k++)
        {
            var vkp = v[k * d + p];
            var vkq = v[k * d + q];
            v[k * d + p] = c * vkp - s * vkq;
            v[k * d + q] = s * vkp + c * vkq;
        }
    }
}
