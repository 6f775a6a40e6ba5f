using System.Globalization;
using System.Text;

namespace Pipeline.Cli.Reports;

/// <summary>What the features picture shows; arrays are per video frame.</summary>
public sealed record FeaturePlotData(
    string Title,
    double Fps,
    int Frames,
    float[] Mel,
    int MelBands,
    float[] EnergyDbfs,
    float[] F0Hz,
    byte[] Vad,
    float[] Visemes,
    IReadOnlyList<string> VisemeNames);

/// <summary>
/// One self-contained SVG a person can open in a browser: spectrogram, energy, F0, voice activity and viseme
/// posteriors on a shared time axis. Heatmaps are embedded PNGs; traces and labels are vector.
/// </summary>
public static class FeaturePlot
{
    private const int Left = 90;
    private const int PlotWidth = 1100;
    private const int Right = 20;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Svg(FeaturePlotData d)
    {
        var duration = d.Frames / d.Fps;
        var svg = new StringBuilder();
        var y = 40;
        var body = new StringBuilder();

        var (melPng, _, _) = Heatmap.Render(d.Mel, d.Frames, d.MelBands, 2, PlotWidth);
        y = Image(body, y, "log-mel (80 bands)", melPng, d.MelBands * 2, "low", "high");

        y = Trace(body, y, 90, "energy (dBFS)", d.EnergyDbfs, -80, 0, "#1f77b4", d.Frames, connect: true);
        y = Trace(body, y, 90, "F0 (Hz)", d.F0Hz.Select(f => f > 0 ? f : float.NaN).ToArray(), 50, 400, "#d62728", d.Frames, connect: false);
        y = Band(body, y, "voice activity", d.Vad, d.Frames);

        if (d.VisemeNames.Count > 0 && d.Visemes.Length == d.Frames * d.VisemeNames.Count)
        {
            var (visPng, _, _) = Heatmap.Render(d.Visemes, d.Frames, d.VisemeNames.Count, 12, PlotWidth, 0, 1);
            var top = y;
            y = Image(body, y, "viseme posteriors", visPng, d.VisemeNames.Count * 12, null, null);
            for (var i = 0; i < d.VisemeNames.Count; i++)
            {
                var ly = top + 18 + ((d.VisemeNames.Count - i - 1) * 12) + 10;
                body.Append(C, $"<text x=\"{Left - 6}\" y=\"{ly}\" font-size=\"10\" text-anchor=\"end\">{Escape(d.VisemeNames[i])}</text>");
            }
        }

        y = Axis(body, y, duration);
        svg.Append(C, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Left + PlotWidth + Right}\" height=\"{y + 10}\" font-family=\"sans-serif\">");
        svg.Append(C, $"<rect width=\"100%\" height=\"100%\" fill=\"white\"/><text x=\"{Left}\" y=\"24\" font-size=\"16\">{Escape(d.Title)}</text>");
        svg.Append(body);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static int Image(StringBuilder b, int y, string label, byte[] png, int height, string? lowLabel, string? highLabel)
    {
        b.Append(C, $"<text x=\"{Left}\" y=\"{y + 12}\" font-size=\"12\">{Escape(label)}</text>");
        b.Append(C, $"<image x=\"{Left}\" y=\"{y + 18}\" width=\"{PlotWidth}\" height=\"{height}\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{Convert.ToBase64String(png)}\"/>");
        if (lowLabel is not null && highLabel is not null)
        {
            b.Append(C, $"<text x=\"{Left - 6}\" y=\"{y + 18 + height}\" font-size=\"10\" text-anchor=\"end\">{lowLabel}</text>");
            b.Append(C, $"<text x=\"{Left - 6}\" y=\"{y + 28}\" font-size=\"10\" text-anchor=\"end\">{highLabel}</text>");
        }

        return y + 18 + height + 12;
    }

    private static int Trace(StringBuilder b, int y, int height, string label, float[] values, float lo, float hi, string colour, int frames, bool connect)
    {
        var top = y + 18;
        b.Append(C, $"<text x=\"{Left}\" y=\"{y + 12}\" font-size=\"12\">{Escape(label)}</text>");
        b.Append(C, $"<rect x=\"{Left}\" y=\"{top}\" width=\"{PlotWidth}\" height=\"{height}\" fill=\"#f6f6f6\" stroke=\"#ccc\"/>");
        b.Append(C, $"<text x=\"{Left - 6}\" y=\"{top + 10}\" font-size=\"10\" text-anchor=\"end\">{hi}</text><text x=\"{Left - 6}\" y=\"{top + height}\" font-size=\"10\" text-anchor=\"end\">{lo}</text>");
        var step = Math.Max(1, frames / (PlotWidth * 2));
        var path = new StringBuilder();
        var pen = false;
        for (var f = 0; f < frames && f < values.Length; f += step)
        {
            var v = values[f];
            if (!float.IsFinite(v))
            {
                pen = false;
                continue;
            }

            var px = Left + ((double)f / Math.Max(1, frames - 1) * PlotWidth);
            var py = top + height - (Math.Clamp((v - lo) / (hi - lo), 0, 1) * height);
            if (connect)
            {
                path.Append(C, $"{(pen ? 'L' : 'M')}{px:F1},{py:F1}");
                pen = true;
            }
            else
            {
                b.Append(C, $"<circle cx=\"{px:F1}\" cy=\"{py:F1}\" r=\"1.3\" fill=\"{colour}\"/>");
            }
        }

        if (connect && path.Length > 0)
        {
            b.Append(C, $"<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1\"/>");
        }

        return top + height + 12;
    }

    private static int Band(StringBuilder b, int y, string label, byte[] on, int frames)
    {
        var top = y + 18;
        b.Append(C, $"<text x=\"{Left}\" y=\"{y + 12}\" font-size=\"12\">{Escape(label)}</text>");
        b.Append(C, $"<rect x=\"{Left}\" y=\"{top}\" width=\"{PlotWidth}\" height=\"16\" fill=\"#f6f6f6\" stroke=\"#ccc\"/>");
        var start = -1;
        for (var f = 0; f <= frames; f++)
        {
            var active = f < frames && f < on.Length && on[f] != 0;
            if (active && start < 0)
            {
                start = f;
            }
            else if (!active && start >= 0)
            {
                var x0 = Left + ((double)start / frames * PlotWidth);
                var x1 = Left + ((double)f / frames * PlotWidth);
                b.Append(C, $"<rect x=\"{x0:F1}\" y=\"{top}\" width=\"{Math.Max(0.5, x1 - x0):F1}\" height=\"16\" fill=\"#2ca02c\"/>");
                start = -1;
            }
        }

        return top + 16 + 12;
    }

    private static int Axis(StringBuilder b, int y, double duration)
    {
        var tick = duration <= 15 ? 1 : duration <= 120 ? 10 : duration <= 1200 ? 60 : 600;
        for (var t = 0.0; t <= duration + 1e-9; t += tick)
        {
            var x = Left + (duration <= 0 ? 0 : t / duration * PlotWidth);
            b.Append(C, $"<line x1=\"{x:F1}\" y1=\"{y}\" x2=\"{x:F1}\" y2=\"{y + 5}\" stroke=\"#333\"/><text x=\"{x:F1}\" y=\"{y + 17}\" font-size=\"10\" text-anchor=\"middle\">{t:0.#}s</text>");
        }

        return y + 24;
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
