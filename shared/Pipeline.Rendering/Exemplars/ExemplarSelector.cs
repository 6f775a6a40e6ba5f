namespace Pipeline.Rendering.Exemplars;

/// <summary>
/// Picks an exemplar for every frame: near the predicted mouth shape, and not changing from frame to frame unless the
/// shape has moved enough to pay for it, since each change swaps the teeth and lip texture under the viewer's eye.
/// Dynamic programming (Viterbi) over each frame's nearest candidates, restarted across frames without a face.
/// </summary>
public static class ExemplarSelector
{
    /// <summary>Candidates kept per frame: the nearest by shape.</summary>
    public const int Candidates = 8;

    /// <summary>
    /// The cost of changing exemplar, in units of the typical (median) squared distance from a frame's shape to its
    /// nearest exemplar, so it means the same whatever the face's size or the bank's density.
    /// </summary>
    public const float DefaultSwitchCost = 1.5f;

    /// <param name="targets">[frames, <see cref="ExemplarShape.Length"/>] predicted shapes.</param>
    /// <param name="present">[frames] 1 where the frame has a face to draw.</param>
    /// <returns>[frames] the chosen entry, or -1 where there is no face (or the bank is empty).</returns>
    public static int[] Select(ReadOnlySpan<float> targets, ReadOnlySpan<byte> present, ExemplarBank bank, float switchCost = DefaultSwitchCost)
    {
        const int D = ExemplarShape.Length;
        var frames = present.Length;
        var choice = new int[frames];
        Array.Fill(choice, -1);
        if (bank.Count == 0)
        {
            return choice;
        }

        var k = Math.Min(Candidates, bank.Count);
        var ids = new int[frames * k];
        var costs = new float[frames * k];
        var nearest = new List<float>(frames);
        for (var f = 0; f < frames; f++)
        {
            if (present[f] == 0)
            {
                continue;
            }

            NearestK(targets.Slice(f * D, D), bank.Shapes, bank.Count, ids.AsSpan(f * k, k), costs.AsSpan(f * k, k));
            nearest.Add(costs[f * k]);
        }

        if (nearest.Count == 0)
        {
            return choice;
        }

        nearest.Sort();
        var scale = MathF.Max(nearest[nearest.Count / 2], 1e-9f);
        var penalty = switchCost * scale;
        var total = new float[frames * k];
        var back = new int[frames * k];
        var start = 0;
        while (start < frames)
        {
            if (present[start] == 0)
            {
                start++;
                continue;
            }

            var end = start;
            while (end < frames && present[end] != 0)
            {
                end++;
            }

            Run(start, end, k, ids, costs, total, back, penalty, choice);
            start = end;
        }

        return choice;
    }

    // One stretch of frames with a face: forward pass, then trace back the cheapest path.
    private static void Run(int start, int end, int k, int[] ids, float[] costs, float[] total, int[] back, float penalty, int[] choice)
    {
        for (var j = 0; j < k; j++)
        {
            total[(start * k) + j] = costs[(start * k) + j];
        }

        for (var f = start + 1; f < end; f++)
        {
            for (var j = 0; j < k; j++)
            {
                var best = float.MaxValue;
                var from = 0;
                for (var i = 0; i < k; i++)
                {
                    var c = total[((f - 1) * k) + i] + (ids[((f - 1) * k) + i] == ids[(f * k) + j] ? 0 : penalty);
                    if (c < best)
                    {
                        (best, from) = (c, i);
                    }
                }

                total[(f * k) + j] = best + costs[(f * k) + j];
                back[(f * k) + j] = from;
            }
        }

        var at = 0;
        for (var j = 1; j < k; j++)
        {
            if (total[((end - 1) * k) + j] < total[((end - 1) * k) + at])
            {
                at = j;
            }
        }

        for (var f = end - 1; f >= start; f--)
        {
            choice[f] = ids[(f * k) + at];
            at = back[(f * k) + at];
        }
    }

    // The k nearest entries by squared distance, ascending (insertion into a short sorted list).
    private static void NearestK(ReadOnlySpan<float> target, float[] shapes, int count, Span<int> ids, Span<float> costs)
    {
        const int D = ExemplarShape.Length;
        costs.Fill(float.MaxValue);
        ids.Fill(0);
        for (var e = 0; e < count; e++)
        {
            var d = ExemplarShape.SquaredDistance(target, shapes.AsSpan(e * D, D));
            if (d >= costs[^1])
            {
                continue;
            }

            var at = costs.Length - 1;
            while (at > 0 && costs[at - 1] > d)
            {
                costs[at] = costs[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }

            (costs[at], ids[at]) = (d, e);
        }
    }
}
