namespace Pipeline.Encoding.Content;

/// <summary>
/// A [frames, Visemes.Count] row-major grid of per-frame viseme probabilities, filled by projecting timed evidence
/// onto the video frame clock: each span adds its distribution weighted by the fraction of the frame it overlaps.
/// Whatever part of a frame no span covers counts as silence, so every finished row sums to 1.
/// A grid may be a window of the clip (frames [FirstFrame, FirstFrame + Frames)), so a long clip is encoded a chunk at
/// a time; frame indices and span times are always the clip's own, and spans are clipped to the window.
/// </summary>
public sealed class VisemePosteriors
{
    private readonly float[] _data;
    private readonly float[] _covered;

    public VisemePosteriors(long frames, FrameClock clock, long firstFrame = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfNegative(firstFrame);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frames, int.MaxValue / Visemes.Count);
        Frames = (int)frames;
        FirstFrame = firstFrame;
        Clock = clock;
        _data = new float[Frames * Visemes.Count];
        _covered = new float[Frames];
    }

    /// <summary>Frames in this window.</summary>
    public int Frames { get; }

    /// <summary>The clip frame index of the window's first row.</summary>
    public long FirstFrame { get; }

    public FrameClock Clock { get; }

    public float[] Data => _data;

    /// <summary>The row of clip frame <paramref name="frame"/> (which must lie in the window).</summary>
    public Span<float> Row(long frame) => LocalRow(checked((int)(frame - FirstFrame)));

    private Span<float> LocalRow(int local) => _data.AsSpan(local * Visemes.Count, Visemes.Count);

    /// <summary>Adds a one-hot span (a recognised phone).</summary>
    public void AddSpan(double startSeconds, double endSeconds, int viseme)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(viseme);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(viseme, Visemes.Count);
        var frameSeconds = Clock.FrameSeconds;
        for (var f = LocalStart(startSeconds); f < Frames; f++)
        {
            var fs = Clock.StartOf(FirstFrame + f);
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

        var frameSeconds = Clock.FrameSeconds;
        for (var f = LocalStart(startSeconds); f < Frames; f++)
        {
            var fs = Clock.StartOf(FirstFrame + f);
            if (fs >= endSeconds)
            {
                break;
            }

            var fraction = (float)((Math.Min(fs + frameSeconds, endSeconds) - Math.Max(fs, startSeconds)) / frameSeconds);
            if (fraction <= 0)
            {
                continue;
            }

            var row = LocalRow(f);
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
            Normalise(LocalRow(f));
        }
    }

    /// <summary>
    /// Gives uncovered time to silence and leaves rows unnormalised, for a caller that smooths and normalises a stream
    /// of windows itself (<see cref="RowSmoother"/>): smoothing across a window's edge needs the next window's rows.
    /// </summary>
    public void CloseGapsOnly() => CloseGaps();

    /// <summary>
    /// this = (1 - w) * this + w * other, frame by frame, after both have had their gaps closed; used for fusion.
    /// </summary>
    public void MixIn(VisemePosteriors other, float weight)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Frames != Frames || other.FirstFrame != FirstFrame)
        {
            throw new ArgumentException($"windows differ ({other.FirstFrame}+{other.Frames} vs {FirstFrame}+{Frames})", nameof(other));
        }

        CloseGaps();
        other.CloseGaps();
        var keep = 1f - weight;
        for (var f = 0; f < Frames; f++)
        {
            var row = LocalRow(f);
            var theirs = other.LocalRow(f);
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
    public int Best(long frame)
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
        LocalRow(0).CopyTo(previous);
        for (var f = 0; f < Frames; f++)
        {
            LocalRow(f).CopyTo(current);
            var next = f + 1 < Frames ? LocalRow(f + 1) : current;
            var row = LocalRow(f);
            for (var v = 0; v < n; v++)
            {
                row[v] = (side * previous[v]) + (centre * current[v]) + (side * next[v]);
            }

            current.CopyTo(previous);
        }
    }

    // The window row of the first frame a span starting at startSeconds can touch (one early, for rounding).
    private int LocalStart(double startSeconds) =>
        (int)Math.Clamp(Math.Floor(Math.Max(0, startSeconds) / Clock.FrameSeconds) - 1 - FirstFrame, 0, Math.Max(0, Frames));
}
