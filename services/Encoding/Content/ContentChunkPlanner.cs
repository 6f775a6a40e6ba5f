namespace Pipeline.Encoding.Content;

/// <summary>
/// Splits a clip into windows of at most <c>maxSeconds</c> so memory and a recogniser run stay bounded whatever the
/// length (a catalog episode can be three hours). Each cut goes at the quietest moment of the window's last
/// <c>searchSeconds</c>: recognisers restart at a cut, and a pause is where restarting loses nothing.
/// </summary>
public static class ContentChunkPlanner
{
    /// <param name="energyDbfs">Per-frame energy (the features stage's energy.npy); empty = cut at fixed lengths.</param>
    public static IReadOnlyList<ContentChunk> Plan(long frames, FrameClock clock, ReadOnlySpan<float> energyDbfs, double maxSeconds, double searchSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeconds, 1.0);
        var maxFrames = Math.Max(1, (long)Math.Floor(maxSeconds * clock.Fps));
        var searchFrames = Math.Clamp((long)Math.Round(Math.Max(0, searchSeconds) * clock.Fps), 0, maxFrames - 1);
        var radius = Math.Max(1, (int)Math.Round(0.05 * clock.Fps)); // ~100 ms of context: a pause, not one quiet frame
        var chunks = new List<ContentChunk>();
        long start = 0;
        while (start < frames)
        {
            var end = Math.Min(frames, start + maxFrames);
            if (end < frames && searchFrames > 0 && energyDbfs.Length >= frames)
            {
                end = QuietestCut(energyDbfs, end - searchFrames, end, radius);
            }

            chunks.Add(new ContentChunk(chunks.Count, start, checked((int)(end - start))));
            start = end;
        }

        return chunks;
    }

    // The frame in [from, to] whose neighbourhood is quietest; the latest on ties, so windows stay long.
    private static long QuietestCut(ReadOnlySpan<float> energy, long from, long to, int radius)
    {
        var best = to;
        var bestScore = double.MaxValue;
        for (var f = from; f <= to; f++)
        {
            double sum = 0;
            var n = 0;
            for (var i = Math.Max(0, f - radius); i < Math.Min(energy.Length, f + radius); i++)
            {
                sum += float.IsFinite(energy[(int)i]) ? energy[(int)i] : -120;
                n++;
            }

            var score = n > 0 ? sum / n : 0;
            if (score <= bestScore)
            {
                bestScore = score;
                best = f;
            }
        }

        return Math.Max(from, best);
    }
}
