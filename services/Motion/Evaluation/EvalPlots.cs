namespace Pipeline.Motion.Evaluation;

/// <summary>The pictures of an evaluation run: what a person looks at before trusting the numbers.</summary>
public static class EvalPlots
{
    /// <summary>
    /// One self-contained SVG: mouth opening over time, one trace per series (real, ours, the baselines) with a
    /// legend, the train/test split marked (the training part greyed) and the measured pauses shaded.
    /// </summary>
    /// <param name="fps">Frame rate, for the time axis and the pause lengths.</param>
    /// <param name="firstTestFrame">First frame of the test part, in the series' frame numbering.</param>
    /// <param name="series">Name, per-frame opening (NaN: no face, a gap in the trace) and an SVG colour.</param>
    /// <param name="vad">Per-frame voice activity of the same frames (may be empty: no shading).</param>
    public static string MouthOpeningSvg(string title, double fps, int firstTestFrame, IReadOnlyList<(string Name, double[] Opening, string Colour)> series, ReadOnlySpan<byte> vad) =>
        MouthOpeningPlot.Svg(title, fps, firstTestFrame, series, vad);

    /// <summary>
    /// A contact sheet PNG: one row per series (real, ours, baselines), one column per picked frame, each cell
    /// the canonical face as dots (mouth in red) with thin contours on white. All cells share one scale, fitted
    /// to every face drawn, so shapes compare across cells. The first column holds the row labels and a header
    /// strip the frame numbers: the image is (picks + 1)·cell wide and header + rows·cell high, where the
    /// header is 11·max(1, cell / 80) pixels.
    /// </summary>
    /// <param name="rows">Label and canonical faces (68 interleaved points per frame, <paramref name="frames"/> frames).</param>
    /// <param name="pickFrames">The frames to show, each in 0..frames−1.</param>
    /// <param name="cell">Side of a cell in pixels (16-2048).</param>
    public static byte[] LandmarkSheetPng(IReadOnlyList<(string Label, float[] Faces)> rows, int frames, IReadOnlyList<int> pickFrames, int cell = 160) =>
        LandmarkSheet.Render(rows, frames, pickFrames, cell);
}
