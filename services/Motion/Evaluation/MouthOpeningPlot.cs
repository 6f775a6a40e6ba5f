using System.Globalization;
using System.Text;

namespace Pipeline.Motion.Evaluation;

/// <summary>
/// The SVG behind <see cref="EvalPlots.MouthOpeningSvg"/>: one time axis, one trace per series, the training
/// part greyed with a dashed line at the split, and the pauses that <see cref="PauseMetrics"/> measures shaded,
/// so a person sees at once whether a mouth moves with the real one and rests when the speaker does.
/// </summary>
internal static class MouthOpeningPlot
{
    private const int Left = 70;
    private const int PlotWidth = 1100;
    private const int Right = 20;
    private const int PlotTop = 64;
    private const int PlotHeight = 300;
    private const string PauseFill = "#dbe7f5";
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Svg(string title, double fps, int firstTestFrame, IReadOnlyList<(string Name, double[] Opening, string Colour)> series, ReadOnlySpan<byte> vad)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(series);
        if (!(fps > 0) || !double.IsFinite(fps))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "frame rate must be positive");
        }

        var frames = 0;
        foreach (var s in series)
        {
            ArgumentNullException.ThrowIfNull(s.Opening, s.Name);
            frames = Math.Max(frames, s.Opening.Length);
        }

        var (lo, hi) = Range(series);
        var b = new StringBuilder();
        var bottom = PlotTop + PlotHeight;
        b.Append(C, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Left + PlotWidth + Right}\" height=\"{bottom + 40}\" font-family=\"sans-serif\">");
        b.Append(C, $"<rect width=\"100%\" height=\"100%\" fill=\"white\"/><text x=\"{Left}\" y=\"22\" font-size=\"16\">{Escape(title)}</text>");
        Legend(b, series);
        b.Append(C, $"<rect x=\"{Left}\" y=\"{PlotTop}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" fill=\"white\" stroke=\"#ccc\"/>");

        if (frames > 0)
        {
            Pauses(b, vad, Math.Min(frames, vad.Length), frames, fps);
            Split(b, Math.Clamp(firstTestFrame, 0, frames), frames);
        }

        ValueAxis(b, lo, hi);
        foreach (var s in series)
        {
            Trace(b, s.Opening, frames, lo, hi, s.Colour);
        }

        TimeAxis(b, bottom, frames / fps);
        b.Append("</svg>");
        return b.ToString();
    }

    /// <summary>Value range over every finite sample, always including 0 (closed lips) so rest is visible.</summary>
    private static (double Lo, double Hi) Range(IReadOnlyList<(string Name, double[] Opening, string Colour)> series)
    {
        double lo = 0, hi = 0;
        foreach (var s in series)
        {
            foreach (var v in s.Opening)
            {
                if (double.IsFinite(v))
                {
                    lo = Math.Min(lo, v);
                    hi = Math.Max(hi, v);
                }
            }
        }

        // A little headroom, and a floor on the span so a flat series does not blow noise up to full height.
        var pad = Math.Max(0.05 * (hi - lo), 0.01);
        return (lo - pad, Math.Max(hi + pad, lo + 0.1));
    }

    private static void Legend(StringBuilder b, IReadOnlyList<(string Name, double[] Opening, string Colour)> series)
    {
        var x = Left;
        const int y = 42;
        foreach (var s in series)
        {
            b.Append(C, $"<line x1=\"{x}\" y1=\"{y - 4}\" x2=\"{x + 18}\" y2=\"{y - 4}\" stroke=\"{Escape(s.Colour)}\" stroke-width=\"2.5\"/>");
            b.Append(C, $"<text x=\"{x + 23}\" y=\"{y}\" font-size=\"12\">{Escape(s.Name)}</text>");
            x += 40 + (7 * s.Name.Length);
        }

        b.Append(C, $"<rect x=\"{x}\" y=\"{y - 10}\" width=\"18\" height=\"10\" fill=\"{PauseFill}\"/>");
        b.Append(C, $"<text x=\"{x + 23}\" y=\"{y}\" font-size=\"12\">pause (measured)</text>");
    }

    private static double X(double frame, int frames) => Left + (frame / frames * PlotWidth);

    private static double Y(double value, double lo, double hi) => PlotTop + PlotHeight - ((value - lo) / (hi - lo) * PlotHeight);

    private static void Pauses(StringBuilder b, ReadOnlySpan<byte> vad, int vadFrames, int frames, double fps)
    {
        var from = 0;
        while (PauseMetrics.NextPause(vad, vadFrames, fps, ref from, out var start, out var end))
        {
            var x0 = X(start, frames);
            b.Append(C, $"<rect x=\"{x0:F1}\" y=\"{PlotTop}\" width=\"{Math.Max(0.5, X(end, frames) - x0):F1}\" height=\"{PlotHeight}\" fill=\"{PauseFill}\"/>");
        }
    }

    private static void Split(StringBuilder b, int firstTestFrame, int frames)
    {
        var x = X(firstTestFrame, frames);
        b.Append(C, $"<rect x=\"{Left}\" y=\"{PlotTop}\" width=\"{x - Left:F1}\" height=\"{PlotHeight}\" fill=\"#808080\" fill-opacity=\"0.12\"/>");
        b.Append(C, $"<line x1=\"{x:F1}\" y1=\"{PlotTop}\" x2=\"{x:F1}\" y2=\"{PlotTop + PlotHeight}\" stroke=\"#444\" stroke-dasharray=\"5,4\"/>");
        b.Append(C, $"<text x=\"{x - 6:F1}\" y=\"{PlotTop + 14}\" font-size=\"11\" text-anchor=\"end\" fill=\"#444\">train</text>");
        b.Append(C, $"<text x=\"{x + 6:F1}\" y=\"{PlotTop + 14}\" font-size=\"11\" fill=\"#444\">test</text>");
    }

    private static void ValueAxis(StringBuilder b, double lo, double hi)
    {
        b.Append(C, $"<text x=\"14\" y=\"{PlotTop + (PlotHeight / 2)}\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 {PlotTop + (PlotHeight / 2)})\">mouth opening (× inter-ocular)</text>");
        for (var i = 0; i <= 4; i++)
        {
            var v = lo + ((hi - lo) * i / 4);
            var y = Y(v, lo, hi);
            b.Append(C, $"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Left + PlotWidth}\" y2=\"{y:F1}\" stroke=\"#eee\"/>");
            b.Append(C, $"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" font-size=\"10\" text-anchor=\"end\">{v:0.00}</text>");
        }
    }

    /// <summary>
    /// One path per series. Long clips are reduced to the minimum and maximum of each pixel column, in the order
    /// they occur, so a short opening still shows at full height instead of being skipped by decimation.
    /// </summary>
    private static void Trace(StringBuilder b, double[] values, int frames, double lo, double hi, string colour)
    {
        var path = new StringBuilder();
        var pen = false;
        if (values.Length <= PlotWidth)
        {
            for (var f = 0; f < values.Length; f++)
            {
                pen = Point(path, pen, f + 0.5, values[f], frames, lo, hi);
            }
        }
        else
        {
            for (var column = 0; column < PlotWidth; column++)
            {
                var from = (int)((long)column * values.Length / PlotWidth);
                var to = (int)((long)(column + 1) * values.Length / PlotWidth);
                int min = -1, max = -1;
                for (var f = from; f < to; f++)
                {
                    if (double.IsFinite(values[f]))
                    {
                        min = min < 0 || values[f] < values[min] ? f : min;
                        max = max < 0 || values[f] > values[max] ? f : max;
                    }
                }

                if (min < 0)
                {
                    pen = false;
                    continue;
                }

                var (first, second) = min <= max ? (min, max) : (max, min);
                pen = Point(path, pen, first + 0.5, values[first], frames, lo, hi);
                if (second != first)
                {
                    pen = Point(path, pen, second + 0.5, values[second], frames, lo, hi);
                }
            }
        }

        if (path.Length > 0)
        {
            b.Append(C, $"<path d=\"{path}\" fill=\"none\" stroke=\"{Escape(colour)}\" stroke-width=\"1.2\" stroke-linejoin=\"round\"/>");
        }
    }

    /// <summary>Appends a point (a move after a gap); non-finite values lift the pen. Returns whether it is down.</summary>
    private static bool Point(StringBuilder path, bool pen, double frame, double value, int frames, double lo, double hi)
    {
        if (!double.IsFinite(value))
        {
            return false;
        }

        path.Append(C, $"{(pen ? 'L' : 'M')}{X(frame, frames):F1},{Y(value, lo, hi):F1}");
        return true;
    }

    private static void TimeAxis(StringBuilder b, int y, double duration)
    {
        var tick = duration <= 15 ? 1 : duration <= 120 ? 10 : duration <= 1200 ? 60 : 600;
        for (var t = 0.0; t <= duration + 1e-9; t += tick)
        {
            var x = Left + (duration <= 0 ? 0 : t / duration * PlotWidth);
            b.Append(C, $"<line x1=\"{x:F1}\" y1=\"{y}\" x2=\"{x:F1}\" y2=\"{y + 5}\" stroke=\"#333\"/><text x=\"{x:F1}\" y=\"{y + 17}\" font-size=\"10\" text-anchor=\"middle\">{t:0.#}s</text>");
        }
    }

    private static string Escape(string s) =>
        s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
