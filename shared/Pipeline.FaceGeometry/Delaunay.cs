namespace Pipeline.FaceGeometry;

/// <summary>
/// Delaunay triangulation of a few dozen points (Bowyer–Watson, O(n²)): the mesh a piecewise-affine warp moves
/// landmarks with. Delaunay maximises the smallest angle, so no sliver triangle stretches a patch of skin.
/// </summary>
public static class Delaunay
{
    /// <summary>
    /// Triangles over <paramref name="points"/> (interleaved x, y), as index triples, each positively oriented:
    /// (b − a) × (c − a) &gt; 0 (clockwise as seen on screen, where y grows down). A repeated point is used once
    /// (its first index).
    /// </summary>
    public static int[] Triangulate(ReadOnlySpan<float> points)
    {
        if (points.Length % 2 != 0)
        {
            throw new ArgumentException("points are interleaved x, y pairs", nameof(points));
        }

        var n = points.Length / 2;
        if (n < 3)
        {
            return [];
        }

        // A super-triangle far outside every point; its three vertices are n, n+1, n+2.
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        for (var i = 0; i < n; i++)
        {
            minX = Math.Min(minX, points[2 * i]);
            maxX = Math.Max(maxX, points[2 * i]);
            minY = Math.Min(minY, points[(2 * i) + 1]);
            maxY = Math.Max(maxY, points[(2 * i) + 1]);
        }

        var span = Math.Max(Math.Max(maxX - minX, maxY - minY), 1);
        var (cx, cy) = ((minX + maxX) / 2, (minY + maxY) / 2);
        var xs = new double[n + 3];
        var ys = new double[n + 3];
        for (var i = 0; i < n; i++)
        {
            (xs[i], ys[i]) = (points[2 * i], points[(2 * i) + 1]);
        }

        (xs[n], ys[n]) = (cx - (20 * span), cy - span);
        (xs[n + 1], ys[n + 1]) = (cx, cy + (20 * span));
        (xs[n + 2], ys[n + 2]) = (cx + (20 * span), cy - span);

        var triangles = new List<(int A, int B, int C)> { (n, n + 1, n + 2) };
        var edges = new List<(int, int)>();
        for (var p = 0; p < n; p++)
        {
            if (IsDuplicate(xs, ys, p))
            {
                continue;
            }

            // Remove every triangle whose circumcircle holds the point; the hole's boundary edges (those not shared
            // by two removed triangles) fan out to it.
            edges.Clear();
            for (var t = triangles.Count - 1; t >= 0; t--)
            {
                var (a, b, c) = triangles[t];
                if (InCircumcircle(xs, ys, a, b, c, xs[p], ys[p]))
                {
                    edges.Add((a, b));
                    edges.Add((b, c));
                    edges.Add((c, a));
                    triangles.RemoveAt(t);
                }
            }

            for (var e = 0; e < edges.Count; e++)
            {
                var (u, v) = edges[e];
                var shared = false;
                for (var f = 0; f < edges.Count; f++)
                {
                    if (f != e && ((edges[f].Item1 == v && edges[f].Item2 == u) || (edges[f].Item1 == u && edges[f].Item2 == v)))
                    {
                        shared = true;
                        break;
                    }
                }

                if (!shared)
                {
                    triangles.Add(Oriented(xs, ys, u, v, p));
                }
            }
        }

        var result = new List<int>(triangles.Count * 3);
        foreach (var (a, b, c) in triangles)
        {
            if (a < n && b < n && c < n)
            {
                result.Add(a);
                result.Add(b);
                result.Add(c);
            }
        }

        return [.. result];
    }

    private static bool IsDuplicate(double[] xs, double[] ys, int p)
    {
        for (var q = 0; q < p; q++)
        {
            if (xs[q] == xs[p] && ys[q] == ys[p])
            {
                return true;
            }
        }

        return false;
    }

    private static (int, int, int) Oriented(double[] xs, double[] ys, int a, int b, int c) =>
        Cross(xs, ys, a, b, c) > 0 ? (a, b, c) : (a, c, b);

    private static double Cross(double[] xs, double[] ys, int a, int b, int c) =>
        ((xs[b] - xs[a]) * (ys[c] - ys[a])) - ((ys[b] - ys[a]) * (xs[c] - xs[a]));

    // For a counter-clockwise (a, b, c) in y-down coordinates the determinant's sign flips with the orientation,
    // so orient first and compare against the orientation's sign.
    private static bool InCircumcircle(double[] xs, double[] ys, int a, int b, int c, double px, double py)
    {
        double ax = xs[a] - px, ay = ys[a] - py;
        double bx = xs[b] - px, by = ys[b] - py;
        double cx = xs[c] - px, cy = ys[c] - py;
        var det = (((ax * ax) + (ay * ay)) * ((bx * cy) - (cx * by)))
                - (((bx * bx) + (by * by)) * ((ax * cy) - (cx * ay)))
                + (((cx * cx) + (cy * cy)) * ((ax * by) - (bx * ay)));
        return Cross(xs, ys, a, b, c) > 0 ? det > 0 : det < 0;
    }
}
