namespace Pipeline.Cli.Reports;

/// <summary>
/// Minimal drawing on an rgb24 frame in place, for pictures a person checks by eye (tracked landmarks, boxes):
/// filled dots, rectangles and lines, clipped to the frame. No allocation per call.
/// </summary>
public readonly ref struct Rgb24Canvas
{
    private readonly Span<byte> _rgb;

    public Rgb24Canvas(Span<byte> rgb, int width, int height)
    {
        if (rgb.Length < width * height * 3)
        {
            throw new ArgumentException($"{rgb.Length} bytes is not a {width}x{height} rgb24 frame", nameof(rgb));
        }

        _rgb = rgb;
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    public void Dot(float x, float y, int radius, (byte R, byte G, byte B) colour)
    {
        if (!float.IsFinite(x) || !float.IsFinite(y))
        {
            return;
        }

        var cx = (int)MathF.Round(x);
        var cy = (int)MathF.Round(y);
        for (var dy = -radius; dy <= radius; dy++)
        {
            for (var dx = -radius; dx <= radius; dx++)
            {
                if ((dx * dx) + (dy * dy) <= (radius * radius) + radius)
                {
                    Set(cx + dx, cy + dy, colour);
                }
            }
        }
    }

    public void Rectangle(float left, float top, float right, float bottom, int thickness, (byte R, byte G, byte B) colour)
    {
        Line(left, top, right, top, thickness, colour);
        Line(right, top, right, bottom, thickness, colour);
        Line(right, bottom, left, bottom, thickness, colour);
        Line(left, bottom, left, top, thickness, colour);
    }

    public void Line(float x0, float y0, float x1, float y1, int thickness, (byte R, byte G, byte B) colour)
    {
        if (!float.IsFinite(x0) || !float.IsFinite(y0) || !float.IsFinite(x1) || !float.IsFinite(y1))
        {
            return;
        }

        var steps = (int)Math.Min(20000, Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)))) + 1;
        var half = thickness / 2;
        for (var i = 0; i <= steps; i++)
        {
            var t = i / (float)steps;
            var x = (int)MathF.Round(x0 + ((x1 - x0) * t));
            var y = (int)MathF.Round(y0 + ((y1 - y0) * t));
            for (var dy = -half; dy <= half; dy++)
            {
                for (var dx = -half; dx <= half; dx++)
                {
                    Set(x + dx, y + dy, colour);
                }
            }
        }
    }

    private void Set(int x, int y, (byte R, byte G, byte B) colour)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        var i = ((y * Width) + x) * 3;
        _rgb[i] = colour.R;
        _rgb[i + 1] = colour.G;
        _rgb[i + 2] = colour.B;
    }
}
