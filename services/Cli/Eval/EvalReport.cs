using Pipeline.Motion.Evaluation;

namespace Pipeline.Cli.Eval;

/// <summary>What `eval --report DIR` writes: mouth opening over time for every method, and a landmark contact sheet.</summary>
public static class EvalReport
{
    private static double[] WholeClip(ClipData clip, double[] test, int first, bool real)
    {
        var all = new double[clip.Frames];
        var train = real ? LandmarkMetrics.Opening(clip.Faces, clip.Frames) : null;
        for (var f = 0; f < clip.Frames; f++)
        {
            all[f] = f >= first ? test[f - first] : train?[f] ?? double.NaN;
        }

        return all;
    }

    public static async Task WriteAsync(string folder, ClipData clip, ClipEvaluator.Predictions p, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var real = LandmarkMetrics.Opening(p.Real, p.Count);
        var series = new List<(string, double[], string)>
        {
            ("real", real, "#000000"),
            ("ours", LandmarkMetrics.Opening(p.Ours, p.Count), "#d62728"),
            ("generic", LandmarkMetrics.Opening(p.Generic, p.Count), "#ff7f0e"),
            ("static", LandmarkMetrics.Opening(p.Static, p.Count), "#7f7f7f"),
            ("energy", LandmarkMetrics.Opening(p.Energy, p.Count), "#1f77b4"),
        };
        // Whole-clip series: the real mouth over the training part too, the predictions from the split on.
        var whole = series.Select(s => (s.Item1, WholeClip(clip, s.Item2, p.First, s.Item1 == "real"), s.Item3)).ToList();
        var svg = EvalPlots.MouthOpeningSvg($"{clip.Name}: mouth opening (fit on frames 0..{p.First - 1}, predicted from {p.First})", clip.Fps, p.First, whole,
            clip.Vad);
        await File.WriteAllTextAsync(Path.Combine(folder, $"{clip.Name}-mouth.svg"), svg, ct);

        var picks = Enumerable.Range(0, 6).Select(i => (int)((i + 0.5) * p.Count / 6)).ToList();
        var png = EvalPlots.LandmarkSheetPng([("real", p.Real), ("ours", p.Ours), ("generic", p.Generic), ("static", p.Static), ("energy", p.Energy)], p.Count, picks);
        await File.WriteAllBytesAsync(Path.Combine(folder, $"{clip.Name}-sheet.png"), png, ct);
    }
}
