using Pipeline.Media.Images;

namespace Pipeline.Cli.Reports;

/// <summary>
/// A grid of thumbnails (box-filtered down from full frames) saved as one PNG, so a person can check a whole clip at
/// a glance. Frames are added in order into the next free cell.
/// </summary>
public sealed class ContactSheet
{
    private readonly byte[] _rgb;
    private int _next;

    public ContactSheet(int columns, int rows, int cellWidth, int cellHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cellWidth, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(cellHeight, 8);
        (Columns, Rows, CellWidth, CellHeight) = (columns, rows, cellWidth, cellHeight);
        _rgb = new byte[Width * Height * 3];
        _rgb.AsSpan().Fill(32);
    }

    public int Columns { get; }

    public int Rows { get; }

    public int CellWidth { get; }

    public int CellHeight { get; }

    public int Width => Columns * CellWidth;

    public int Height => Rows * CellHeight;

    public int Cells => Columns * Rows;

    /// <summary>Cell size that keeps the source's aspect ratio within <paramref name="maxCell"/> pixels.</summary>
    public static (int Width, int Height) CellFor(int sourceWidth, int sourceHeight, int maxCell = 320)
    {
        var scale = Math.Min(1.0, maxCell / (double)Math.Max(sourceWidth, sourceHeight));
        return (Math.Max(8, (int)(sourceWidth * scale)), Math.Max(8, (int)(sourceHeight * scale)));
    }

    /// <summary>Adds a frame to the next cell, fitted inside it (aspect kept); false when the sheet is full.</summary>
    public bool Add(ReadOnlySpan<byte> rgb24, int width, int height)
    {
        if (_next >= Cells)
        {
            return false;
        }

        var cx = (_next % Columns) * CellWidth;
        var cy = (_next / Columns) * CellHeight;
        _next++;
        var scale = Math.Min(CellWidth / (double)width, CellHeight / (double)height);
        var w = Math.Max(1, (int)(width * scale));
        var h = Math.Max(1, (int)(height * scale));
        var ox = cx + ((CellWidth - w) / 2);
        var oy = cy + ((CellHeight - h) / 2);
        for (var y = 0; y < h; y++)
        {
            var sy0 = (int)((long)y * height / h);
            var sy1 = Math.Max(sy0 + 1, (int)((long)(y + 1) * height / h));
            for (var x = 0; x < w; x++)
            {
                var sx0 = (int)((long)x * width / w);
                var sx1 = Math.Max(sx0 + 1, (int)((long)(x + 1) * width / w));
                int r = 0, g = 0, b = 0, n = 0;
                for (var sy = sy0; sy < sy1; sy++)
                {
                    var row = rgb24.Slice(sy * width * 3, width * 3);
                    for (var sx = sx0; sx < sx1; sx++)
                    {
                        r += row[sx * 3];
                        g += row[(sx * 3) + 1];
                        b += row[(sx * 3) + 2];
                        n++;
                    }
                }

                var o = (((oy + y) * Width) + ox + x) * 3;
                _rgb[o] = (byte)(r / n);
                _rgb[o + 1] = (byte)(g / n);
                _rgb[o + 2] = (byte)(b / n);
            }
        }

        return true;
    }

    public byte[] ToPng() => PngWriter.EncodeRgb24(_rgb, Width, Height);
}
