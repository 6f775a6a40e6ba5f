namespace Pipeline.Rendering.Exemplars;

/// <summary>
/// Which of the target's frames go into the exemplar bank: the medoids of a k-means clustering of their mouth shapes,
/// so the bank spans the shapes the speaker makes (closed, open, wide, rounded) rather than the ones they make most.
/// A medoid is a real frame; clusters of one frame (a tracking glitch) are dropped.
/// </summary>
public static class ExemplarBankPlan
{
    private const int Iterations = 10;

    /// <param name="shapes">[candidates, <see cref="ExemplarShape.Length"/>] the candidate frames' shapes.</param>
    /// <returns>Indices into the candidates, ascending.</returns>
    public static int[] Choose(ReadOnlySpan<float> shapes, int count, int seed = 1)
    {
        const int D = ExemplarShape.Length;
        var n = shapes.Length / D;
        if (n <= count)
        {
            return Enumerable.Range(0, n).ToArray();
        }

        var centres = new float[count * D];
        var assignment = new int[n];
        SeedPlusPlus(shapes, n, count, new Random(seed), centres);
        var sums = new double[count * D];
        var sizes = new int[count];
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var moved = false;
            for (var i = 0; i < n; i++)
            {
                var best = Nearest(shapes.Slice(i * D, D), centres, count, out _);
                moved |= best != assignment[i] || iteration == 0;
                assignment[i] = best;
            }

            if (!moved)
            {
                break;
            }

            Array.Clear(sums);
            Array.Clear(sizes);
            for (var i = 0; i < n; i++)
            {
                var c = assignment[i];
                sizes[c]++;
                for (var d = 0; d < D; d++)
                {
                    sums[(c * D) + d] += shapes[(i * D) + d];
                }
            }

            for (var c = 0; c < count; c++)
            {
                if (sizes[c] == 0)
                {
                    continue; // an empty cluster keeps its centre
                }

                for (var d = 0; d < D; d++)
                {
                    centres[(c * D) + d] = (float)(sums[(c * D) + d] / sizes[c]);
                }
            }
        }

        var medoid = new int[count];
        var medoidDistance = new float[count];
        Array.Fill(medoid, -1);
        Array.Fill(medoidDistance, float.MaxValue);
        Array.Clear(sizes);
        for (var i = 0; i < n; i++)
        {
            var c = assignment[i];
            sizes[c]++;
            var d = ExemplarShape.SquaredDistance(shapes.Slice(i * D, D), centres.AsSpan(c * D, D));
            if (d < medoidDistance[c])
            {
                (medoid[c], medoidDistance[c]) = (i, d);
            }
        }

        return Enumerable.Range(0, count).Where(c => medoid[c] >= 0 && sizes[c] > 1).Select(c => medoid[c]).Order().ToArray();
    }

    // k-means++: each next centre drawn with probability proportional to its squared distance from the chosen ones.
    private static void SeedPlusPlus(ReadOnlySpan<float> shapes, int n, int count, Random random, float[] centres)
    {
        const int D = ExemplarShape.Length;
        var nearest = new float[n];
        shapes.Slice(random.Next(n) * D, D).CopyTo(centres);
        for (var i = 0; i < n; i++)
        {
            nearest[i] = ExemplarShape.SquaredDistance(shapes.Slice(i * D, D), centres.AsSpan(0, D));
        }

        for (var c = 1; c < count; c++)
        {
            var total = 0.0;
            for (var i = 0; i < n; i++)
            {
                total += nearest[i];
            }

            var pick = n - 1;
            var target = random.NextDouble() * total;
            for (var i = 0; i < n; i++)
            {
                target -= nearest[i];
                if (target <= 0)
                {
                    pick = i;
                    break;
                }
            }

            var centre = centres.AsSpan(c * D, D);
            shapes.Slice(pick * D, D).CopyTo(centre);
            for (var i = 0; i < n; i++)
            {
                nearest[i] = MathF.Min(nearest[i], ExemplarShape.SquaredDistance(shapes.Slice(i * D, D), centre));
            }
        }
    }

    private static int Nearest(ReadOnlySpan<float> shape, float[] centres, int count, out float distance)
    {
        const int D = ExemplarShape.Length;
        var best = 0;
        distance = float.MaxValue;
        for (var c = 0; c < count; c++)
        {
            var d = ExemplarShape.SquaredDistance(shape, centres.AsSpan(c * D, D));
            if (d < distance)
            {
                (best, distance) = (c, d);
            }
        }

        return best;
    }
}
