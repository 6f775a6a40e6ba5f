using System.Globalization;
using Pipeline.FaceGeometry;
using Pipeline.Media.Images;

namespace Pipeline.Motion.Evaluation;

/// <summary>
/// The landmark contact sheet behind <see cref="EvalPlots.LandmarkSheetPng"/>. Layout: a header strip with
/// the frame numbers on top, then one row of <c>cell</c>×<c>cell</c> squares per series; the first column
/// holds the series labels, then one column per picked frame.
/// </summary>
internal static class LandmarkSheet
{
    private const int Stride = Landmarks68.FloatCount;
    private static readonly (byte R, byte G, byte B) White = (255, 255, 255);
    private static readonly (byte R, byte G, byte B) Ink = (30, 30, 30);
    private static readonly (byte R, byte G, byte B) Grid = (210, 210, 210);
    private static readonly (byte R, byte G, byte B) Outline = (190, 190, 190);
    private static readonly (byte R, byte G, byte B) MouthOutline = (240, 170, 170);
    private static readonly (byte R, byte G, byte B) MouthDot = (215, 25, 28);

    /// <summary>The polylines that make 68 dots read as a face: (first point, count, closed).</summary>
    private static ReadOnlySpan<byte> Contours =>
    [
        0, 17, 0, // jaw
        17, 5, 0, // right brow
        22, 5, 0, // left brow
        27, 4, 0, // nose bridge
        31, 5, 0, // nose base
        36, 6, 1, // right eye
        42, 6, 1, // left eye
        48, 12, 1, // outer lip
        60, 8, 1, // inner lip
    ];

    /// <summary>Font pixel size: labels stay legible at 160 px cells and still fit at small ones.</summary>
    public static int FontScale(int cell) => Math.Max(1, cell / 80);

    public static int HeaderHeight(int cell) => (TinyFont.GlyphHeight + 4) * FontScale(cell);

    public static (int Width, int Height) Size(int rows, int picks, int cell) =>
        ((picks + 1) * cell, HeaderHeight(cell) + (rows * cell));

    public static byte[] Render(IReadOnlyList<(string Label, float[] Faces)> rows, int frames, IReadOnlyList<int> pickFrames, int cell)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(pickFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfLessThan(cell, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cell, 2048);
        foreach (var (label, faces) in rows)
        {
            ArgumentNullException.ThrowIfNull(faces, label);
            LandmarkMetrics.RequireFaces(faces, frames, label);
        }

        foreach (var pick in pickFrames)
        {
            if ((uint)pick >= (uint)frames)
            {
                throw new ArgumentOutOfRangeException(nameof(pickFrames), pick, $"picked frame outside 0..{frames - 1}");
            }
        }

        var (width, height) = Size(rows.Count, pickFrames.Count, cell);
        var rgb = new byte[width * height * 3];
        var canvas = new Rgb24Raster(rgb, width, height);
        canvas.Fill(0, 0, width, height, White);

        var scale = FontScale(cell);
        var header = HeaderHeight(cell);
        var pad = 2 * scale;
        canvas.Text(pad, pad, "frame", scale, cell - (2 * pad), Ink);
        Span<char> number = stackalloc char[12];
        for (var c = 0; c < pickFrames.Count; c++)
        {
            pickFrames[c].TryFormat(number, out var written, provider: CultureInfo.InvariantCulture);
            var textWidth = (written * TinyFont.Advance * scale) - scale;
            canvas.Text(((c + 1) * cell) + ((cell - textWidth) / 2), pad, number[..written], scale, cell, Ink);
        }

        // One mapping for every cell: all faces are in the same canonical frame, so a wider mouth in one
        // cell than in another must look wider, which per-cell fitting would hide.
        var (originX, originY, unit) = Mapping(rows, pickFrames, cell);
        var dot = cell / 120; // small (a single pixel below 120 px cells): lip points sit only a few pixels apart
        for (var r = 0; r < rows.Count; r++)
        {
            var top = header + (r * cell);
            var textTop = top + ((cell - (TinyFont.GlyphHeight * scale)) / 2);
            canvas.Text(pad, textTop, rows[r].Label, scale, cell - (2 * pad), Ink);
            for (var c = 0; c < pickFrames.Count; c++)
            {
                var face = rows[r].Faces.AsSpan(pickFrames[c] * Stride, Stride);
                DrawFace(canvas, face, ((c + 1) * cell) + originX, top + originY, unit, dot);
            }
        }

        for (var c = 1; c <= pickFrames.Count; c++)
        {
            canvas.Fill(c * cell, 0, 1, height, Grid);
        }

        for (var r = 0; r < rows.Count; r++)
        {
            canvas.Fill(0, header + (r * cell), width, 1, Grid);
        }

        return PngWriter.EncodeRgb24(rgb, width, height);
    }

    /// <summary>Pixel position of the canonical origin inside a cell, and pixels per inter-ocular unit.</summary>
    private static (float X, float Y, float Unit) Mapping(IReadOnlyList<(string Label, float[] Faces)> rows, IReadOnlyList<int> pickFrames, int cell)
    {
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (var (_, faces) in rows)
        {
            foreach (var pick in pickFrames)
            {
                var face = faces.AsSpan(pick * Stride, Stride);
                for (var i = 0; i < Stride; i += 2)
                {
                    if (float.IsFinite(face[i]) && float.IsFinite(face[i + 1]))
                    {
                        minX = MathF.Min(minX, face[i]);
                        maxX = MathF.Max(maxX, face[i]);
                        minY = MathF.Min(minY, face[i + 1]);
                        maxY = MathF.Max(maxY, face[i + 1]);
                    }
                }
            }
        }

        if (minX > maxX)
        {
            // Nothing finite to draw: the canonical face's own extent keeps the arithmetic sane.
            var canonical = Landmarks68.Bounds(CanonicalFace.Points);
            (minX, minY, maxX, maxY) = (canonical.MinX, canonical.MinY, canonical.MaxX, canonical.MaxY);
        }

        var margin = cell / 10f;
        var unit = (cell - (2 * margin)) / MathF.Max(1e-6f, MathF.Max(maxX - minX, maxY - minY));
        var x = (cell / 2f) - (unit * 0.5f * (minX + maxX));
        var y = (cell / 2f) - (unit * 0.5f * (minY + maxY));
        return (x, y, unit);
    }

    private static void DrawFace(Rgb24Raster canvas, ReadOnlySpan<float> face, float originX, float originY, float unit, int dot)
    {
        var contours = Contours;
        for (var k = 0; k < contours.Length; k += 3)
        {
            int first = contours[k], count = contours[k + 1];
            var colour = Landmarks68.Mouth.Contains(first) ? MouthOutline : Outline;
            var segments = contours[k + 2] == 1 ? count : count - 1;
            for (var s = 0; s < segments; s++)
            {
                var a = first + s;
                var b = first + ((s + 1) % count);
                canvas.Line(
                    originX + (unit * face[2 * a]),
                    originY + (unit * face[(2 * a) + 1]),
                    originX + (unit * face[2 * b]),
                    originY + (unit * face[(2 * b) + 1]),
                    colour);
            }
        }

        for (var p = 0; p < Landmarks68.PointCount; p++)
        {
            var colour = Landmarks68.Mouth.Contains(p) ? MouthDot : Ink;
            canvas.Dot(originX + (unit * face[2 * p]), originY + (unit * face[(2 * p) + 1]), dot, colour);
        }
    }
}
