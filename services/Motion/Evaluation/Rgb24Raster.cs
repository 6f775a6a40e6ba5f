namespace Pipeline.Motion.Evaluation;

/// <summary>
/// Minimal drawing into an rgb24 buffer for report pictures: filled rectangles, dots, lines and
/// <see cref="TinyFont"/> text, clipped to the buffer, no allocation per call. (The CLI has its own canvas;
/// this service must not depend on the CLI.)
/// </summary>
internal readonly ref struct Rgb24Raster
{
    private readonly Span<byte> _rgb;

    public Rgb24Raster(Span<byte> rgb, int width, int height)
    {
        if (width <= 0 || height <= 0 || rgb.Length < width * height * 3)
        {
            throw new ArgumentException($"{rgb.Length} bytes is not a {width}x{height} rgb24 image", nameof(rgb));
        }

        _rgb = rgb;
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    public void Fill(int left, int top, int width, int height, (byte R, byte G, byte B) colour)
    {
        var x0 = Math.Max(0, left);
        var x1 = Math.Min(Width, left + width);
        var y0 = Math.Max(0, top);
        var y1 = Math.Min(Height, top + height);
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                Set(x, y, colour);
            }
        }
    }

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
                // r² + r rather than r²: small dots come out round instead of as a plus sign.
                if ((dx * dx) + (dy * dy) <= (radius * radius) + radius)
                {
                    Set(cx + dx, cy + dy, colour);
                }
            }
        }
    }

    public void Line(float x0, float y0, float x1, float y1, (byte R, byte G, byte B) colour)
    {
        if (!float.IsFinite(x0) || !float.IsFinite(y0) || !float.IsFinite(x1) || !float.IsFinite(y1))
        {
            return;
        }

        // One sample per pixel of the longer axis; the cap keeps a wild coordinate from stalling the report.
        var steps = (int)Math.Min(20000, Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)))) + 1;
        for (var i = 0; i <= steps; i++)
        {
            var t = i / (float)steps;
            Set((int)MathF.Round(x0 + ((x1 - x0) * t)), (int)MathF.Round(y0 + ((y1 - y0) * t)), colour);
        }
    }

    /// <summary>Draws text with its top-left corner at (x, y), each font pixel a scale×scale block; stops at maxWidth.</summary>
    public void Text(int x, int y, ReadOnlySpan<char> text, int scale, int maxWidth, (byte R, byte G, byte B) colour)
    {
        var limit = Math.Min(Width, x + maxWidth);
        foreach (var c in text)
        {
            if (x + (TinyFont.GlyphWidth * scale) > limit)
            {
                return;
            }

            var glyph = TinyFont.Glyph(c);
            for (var column = 0; column < TinyFont.GlyphWidth; column++)
            {
                for (var row = 0; row < TinyFont.GlyphHeight; row++)
                {
                    if ((glyph[column] & (1 << row)) != 0)
                    {
                        Fill(x + (column * scale), y + (row * scale), scale, scale, colour);
                    }
                }
            }

            x += TinyFont.Advance * scale;
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
