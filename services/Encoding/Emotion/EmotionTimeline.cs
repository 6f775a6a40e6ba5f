using Pipeline.Contracts.Jobs;

namespace Pipeline.Encoding.Emotion;

/// <summary>
/// A requested emotion timeline on the frame clock. Before the first key the first key holds; each later key is
/// reached by a raised-cosine blend that ENDS at the key's time (so from its time on a key is exactly what was asked
/// for) and lasts <see cref="DefaultBlendSeconds"/> or half the gap since the previous key, whichever is shorter (so
/// every key is also held for a while before the next blend). Raised cosine: continuous with zero slope at both ends,
/// so expressions ease in and out instead of snapping.
/// </summary>
public static class EmotionTimeline
{
    public const double DefaultBlendSeconds = 0.5;

    /// <summary>Fills rows of [frames, 11], sampling each frame at its centre ((i + 0.5) / fps).</summary>
    /// <param name="firstFrame">The clip frame of the first row (a long clip is rendered a block at a time).</param>
    public static void Render(IReadOnlyList<EmotionKey> timeline, double fps, Span<float> rows, double blendSeconds = DefaultBlendSeconds, long firstFrame = 0)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        if (timeline.Count == 0)
        {
            throw new ArgumentException("an emotion timeline needs at least one key", nameof(timeline));
        }

        var keys = timeline.OrderBy(k => k.AtSeconds).ToArray();
        var frames = rows.Length / EmotionVector.Length;
        Span<float> from = stackalloc float[EmotionVector.Length];
        Span<float> to = stackalloc float[EmotionVector.Length];
        var next = 0; // index of the first key later than t
        for (var f = 0; f < frames; f++)
        {
            var t = (firstFrame + f + 0.5) / fps;
            while (next < keys.Length && keys[next].AtSeconds <= t)
            {
                next++;
            }

            var row = rows.Slice(f * EmotionVector.Length, EmotionVector.Length);
            var current = keys[Math.Max(0, next - 1)];
            EmotionVector.FromKey(current.Label, current.Intensity, row);
            if (next == 0 || next >= keys.Length)
            {
                continue; // before the first key, or after the last: hold
            }

            var upcoming = keys[next];
            var blend = Math.Min(blendSeconds, (upcoming.AtSeconds - current.AtSeconds) / 2);
            var startBlend = upcoming.AtSeconds - blend;
            if (blend <= 0 || t < startBlend)
            {
                continue;
            }

            var w = (float)(0.5 - (0.5 * Math.Cos(Math.PI * (t - startBlend) / blend)));
            row.CopyTo(from);
            EmotionVector.FromKey(upcoming.Label, upcoming.Intensity, to);
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = ((1 - w) * from[c]) + (w * to[c]);
            }
        }
    }
}
