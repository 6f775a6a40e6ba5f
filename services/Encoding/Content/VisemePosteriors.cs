namespace Pipeline.Encoding.Content;

/// <summary>
/// A [frames, Visemes.Count] row-major grid of per-frame viseme probabilities, filled by projecting timed evidence
/// onto the video frame clock: each span adds its distribution weighted by the fraction of the frame it overlaps.
/// Whatever part of a frame no span covers counts as silence, so every finished row sums to 1.
/// </summary>
public sealed class VisemePosteriors
{
    private readonly float[] _data;
    private readonly float[] _covered;

    public VisemePosteriors(long frames, FrameClock clock)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frames, int.MaxValue / Visemes.Count);
        Frames = (int)frames;
        Clock = clock;
        _data = new float[Frames * Visemes.Count];
        _covered = new float[Frames];
    }

    public int Frames { get; }

    public FrameClock Clock { get; }

    public float[] Data => _data;

    public Span<float> Row(int frame) => _data.AsSpan(frame * Visemes.Count, Visemes.Count);

    /// <summary>Adds a one-hot span (a recognised phone).</summary>
    public void AddSpan(double startSeconds, double endSeconds, int viseme)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(viseme);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(viseme, Visemes.Count);
        var frameSeconds = Clock.FrameSeconds;
        for (var f = FirstFrame(startSeconds); f < Frames; f++)
        {
            var fs = Clock.StartOf(f);
            if (fs >= endSeconds)
            {
                break;
            }

            var fraction = (float)((Math.Min(fs + frameSeconds, endSeconds) - Math.Max(fs, startSeconds)) / frameSeconds);
            if (fraction > 0)
            {
                _data[(f * Visemes.Count) + viseme] += fraction;
                _covered[f] += fraction;
            }
        }
    }

    /// <summary>Adds a span carrying a distribution over the visemes (one analysis hop).</summary>
    public void AddSpan(double startSeconds, double endSeconds, ReadOnlySpan<float> distribution)
    {
        if (distribution.Length != Visemes.Count)
        {
            throw new ArgumentException($"expected {Visemes.Count} probabilities", nameof(distribution));
        }

        var first = FirstFrame(startSeconds);
        var frameSeconds = Clock.FrameSeconds;
        for (var f = first; f < Frames; f++)
        {
            var fs = Clock.StartOf(f);
            if (fs >= endSeconds)
            {
                break;
            }

            var fraction = (float)((Math.Min(fs + frameSeconds, endSeconds) - Math.Max(fs, startSeconds)) / frameSeconds);
            if (fraction <= 0)
            {
                continue;
            }

            var row = Row(f);
            for (var v = 0; v < row.Length; v++)
            {
                row[v] += fraction * distribution[v];
            }

            _covered[f] += fraction;
        }
    }

    /// <summary>Gives uncovered time to silence, optionally smooths over time, and normalises every row to sum 1.</summary>
    public void Finish(float smoothing)
    {
        CloseGaps();
        if (smoothing > 0 && Frames > 1)
        {
            Smooth(smoothing);
        }

        for (var f = 0; f < Frames; f++)
        {
            Normalise(Row(f));
        }
    }

    /// <summary>
    /// this = (1 - w) * this + w * other, frame by frame, after both have had their gaps closed; used for fusion.
    /// </summary>
    public void MixIn(VisemePosteriors other, float weight)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Frames != Frames)
        {
            throw new ArgumentException($"frame counts differ ({other.Frames} vs {Frames})", nameof(other));
        }

        CloseGaps();
        other.CloseGaps();
        var keep = 1f - weight;
        for (var f = 0; f < Frames; f++)
        {
            var row = Row(f);
            var theirs = other.Row(f);
            Normalise(row);
            Normalise(theirs);
            for (var v = 0; v < row.Length; v++)
            {
                row[v] = (keep * row[v]) + (weight * theirs[v]);
            }
        }
    }

    // Idempotent: after the first call every frame counts as fully covered.
    private void CloseGaps()
    {
        for (var f = 0; f < Frames; f++)
        {
            var gap = 1f - _covered[f];
            if (gap > 0)
            {
                _data[(f * Visemes.Count) + Visemes.Sil] += gap;
            }

            _covered[f] = 1f;
        }
    }

    /// <summary>Argmax viseme of a frame.</summary>
    public int Best(int frame)
    {
        var row = Row(frame);
        var best = 0;
        for (var v = 1; v < row.Length; v++)
        {
            if (row[v] > row[best])
            {
                best = v;
            }
        }

        return best;
    }

    internal static void Normalise(Span<float> row)
    {
        var sum = 0f;
        foreach (var x in row)
        {
            sum += x;
        }

        if (sum <= 0)
        {
            row.Clear();
            row[Visemes.Sil] = 1;
            return;
        }

        var inv = 1f / sum;
        for (var v = 0; v < row.Length; v++)
        {
            row[v] *= inv;
        }
    }

    // Symmetric 3-tap kernel [w, 1-2w, w]: a lip shape is never a single frame, and it must not lag (so no causal filter).
    private void Smooth(float w)
    {
        var side = Math.Clamp(w, 0f, 1f / 3f);
        var centre = 1f - (2 * side);
        var n = Visemes.Count;
        Span<float> previous = stackalloc float[n];
        Span<float> current = stackalloc float[n];
        Row(0).CopyTo(previous);
        for (var f = 0; f < Frames; f++)
        {
            Row(f).CopyTo(current);
            var next = f + 1 < Frames ? Row(f + 1) : current;
            var row = Row(f);
            for (var v = 0; v < n; v++)
            {
                row[v] = (side * previous[v]) + (centre * current[v]) + (side * next[v]);
            }

            current.CopyTo(previous);
        }
    }

    private int FirstFrame(double startSeconds) =>
        (int)Math.Clamp(Math.Floor(Math.Max(0, startSeconds) / Clock.FrameSeconds) - 1, 0, Math.Max(0, Frames));
}
