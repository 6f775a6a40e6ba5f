namespace Pipeline.Rendering;

/// <summary>
/// Makes a pasted layer meet the frame along its whole edge: the difference frame − layer, measured on the layer's edge
/// pixels, is spread smoothly over the layer's inside (a membrane: the harmonic function with those edge values,
/// which is Poisson cloning with the layer's own gradients as the guide) and added to the layer.
/// </summary>
/// <remarks>
/// Why, on top of one colour shift for the whole layer: an exemplar comes from another frame, lit from another angle,
/// so its skin differs from this frame's by a gradient, not a constant. With the mean shift alone one side of the mouth
/// stayed lighter and the other darker, and the mesh's outline showed through the feathered edge as a pale polygon
/// around the lips. The membrane is solved on a grid of cells a few pixels wide, since it is smooth by construction:
/// the cost is a few hundred cells per frame whatever the resolution, and every pixel reads it by bilinear interpolation.
/// </remarks>
public sealed class MembraneCorrection
{
    private const int Channels = 3;

    /// <summary>Largest correction per channel, as <see cref="FollowedColourShift.MaxShift"/> for the mean: beyond it the layer is wrong, not lit differently.</summary>
    public const float MaxCorrection = FollowedColourShift.MaxShift;

    private float[] _values = []; // per cell, per channel
    private float[] _sums = [];
    private int[] _edgeCounts = [];
    private int[] _coveredCounts = [];
    private byte[] _state = [];
    private int[] _order = [];
    private int[] _neighbours = [];
    private int[] _neighbourCounts = [];
    private int[] _columns = [];
    private float[] _weights = [];
    private float[] _row = [];

    private const byte Outside = 0;
    private const byte Edge = 1;
    private const byte Inside = 2;

    /// <summary>
    /// Corrects <paramref name="layer"/> where <paramref name="coverage"/> is set, inside the box (inclusive), which must
    /// hold every covered pixel. <paramref name="cell"/> is the solving grid's cell size in pixels.
    /// </summary>
    public void Apply(ReadOnlySpan<byte> frame, Span<byte> layer, ReadOnlySpan<byte> coverage, int width, int left, int top, int right, int bottom, int cell)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cell);
        if (left > right || top > bottom)
        {
            return;
        }

        var (boxWidth, boxHeight) = (right - left + 1, bottom - top + 1);
        var (gw, gh) = (((boxWidth - 1) / cell) + 1, ((boxHeight - 1) / cell) + 1);
        var cells = gw * gh;
        Prepare(cells);
        if (!Measure(frame, layer, coverage, width, left, top, right, bottom, cell, gw))
        {
            return; // nothing covered
        }

        Solve(gw, gh);
        Correct(layer, coverage, width, left, top, right, bottom, cell, gw, gh);
    }

    private void Prepare(int cells)
    {
        if (_state.Length < cells)
        {
            _values = new float[cells * Channels];
            _sums = new float[cells * Channels];
            _edgeCounts = new int[cells];
            _coveredCounts = new int[cells];
            _state = new byte[cells];
            _order = new int[cells];
            _neighbours = new int[4 * cells];
            _neighbourCounts = new int[cells];
        }

        _sums.AsSpan(0, cells * Channels).Clear();
        _edgeCounts.AsSpan(0, cells).Clear();
        _coveredCounts.AsSpan(0, cells).Clear();
    }

    // Sums frame − layer over the edge pixels of each cell (covered pixels with an uncovered 4-neighbour, or on the
    // box's rim) and classifies the cells: with edge pixels, their mean is fixed; covered without, the membrane decides.
    private bool Measure(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> layer, ReadOnlySpan<byte> coverage, int width, int left, int top, int right, int bottom, int cell, int gw)
    {
        var any = false;
        for (var y = top; y <= bottom; y++)
        {
            var row = y * width;
            var cy = (y - top) / cell;
            for (var x = left; x <= right; x++)
            {
                if (coverage[row + x] == 0)
                {
                    continue;
                }

                any = true;
                var c = (cy * gw) + ((x - left) / cell);
                _coveredCounts[c]++;
                var edge = x == left || x == right || y == top || y == bottom
                    || coverage[row + x - 1] == 0 || coverage[row + x + 1] == 0 || coverage[row - width + x] == 0 || coverage[row + width + x] == 0;
                if (!edge)
                {
                    continue;
                }

                _edgeCounts[c]++;
                var p = (row + x) * Channels;
                for (var k = 0; k < Channels; k++)
                {
                    _sums[(c * Channels) + k] += frame[p + k] - layer[p + k];
                }
            }
        }

        return any;
    }

    private void Solve(int gw, int gh)
    {
        var cells = gw * gh;
        Span<double> mean = stackalloc double[Channels];
        var edges = 0;
        for (var c = 0; c < cells; c++)
        {
            _state[c] = _edgeCounts[c] > 0 ? Edge : _coveredCounts[c] > 0 ? Inside : Outside;
            if (_state[c] != Edge)
            {
                continue;
            }

            edges++;
            for (var k = 0; k < Channels; k++)
            {
                _values[(c * Channels) + k] = _sums[(c * Channels) + k] / _edgeCounts[c];
                mean[k] += _values[(c * Channels) + k];
            }
        }

        for (var c = 0; c < cells; c++)
        {
            if (_state[c] != Edge)
            {
                for (var k = 0; k < Channels; k++)
                {
                    _values[(c * Channels) + k] = (float)(mean[k] / Math.Max(1, edges));
                }
            }
        }

        // Gauss-Seidel with over-relaxation on the inside cells: each becomes the mean of its inside and edge neighbours.
        // An inside cell never touches an outside one (the edge pixels between them would make it an edge cell). The
        // neighbour lists are built once, so the iterations are plain arithmetic over the three channels.
        var inside = 0;
        for (var c = 0; c < cells; c++)
        {
            if (_state[c] == Inside)
            {
                _order[inside++] = c;
            }
        }

        for (var i = 0; i < inside; i++)
        {
            var c = _order[i];
            var (cx, cy) = (c % gw, c / gw);
            var n = 0;
            foreach (var (nx, ny) in (ReadOnlySpan<(int, int)>)[(cx - 1, cy), (cx + 1, cy), (cx, cy - 1), (cx, cy + 1)])
            {
                if (nx >= 0 && ny >= 0 && nx < gw && ny < gh && _state[(ny * gw) + nx] != Outside)
                {
                    _neighbours[(4 * i) + n++] = ((ny * gw) + nx) * Channels;
                }
            }

            _neighbourCounts[i] = n;
        }

        var size = Math.Max(gw, gh);
        var omega = (float)(2 / (1 + Math.Sin(Math.PI / (size + 1))));
        var iterations = (2 * size) + 10;
        var values = _values.AsSpan();
        for (var it = 0; it < iterations; it++)
        {
            for (var i = 0; i < inside; i++)
            {
                var n = _neighbourCounts[i];
                if (n == 0)
                {
                    continue;
                }

                float r = 0, g = 0, b = 0;
                for (var j = 0; j < n; j++)
                {
                    var q = _neighbours[(4 * i) + j];
                    (r, g, b) = (r + values[q], g + values[q + 1], b + values[q + 2]);
                }

                var p = _order[i] * Channels;
                var scale = 1f / n;
                values[p] += omega * ((r * scale) - values[p]);
                values[p + 1] += omega * ((g * scale) - values[p + 1]);
                values[p + 2] += omega * ((b * scale) - values[p + 2]);
            }
        }

        // Outside cells take their covered neighbours' mean, so interpolation near the edge does not pull towards 0.
        for (var c = 0; c < cells; c++)
        {
            if (_state[c] != Outside)
            {
                continue;
            }

            var (cx, cy) = (c % gw, c / gw);
            for (var k = 0; k < Channels; k++)
            {
                double sum = 0;
                var n = 0;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        Add(cx + dx, cy + dy, k, gw, gh, ref sum, ref n);
                    }
                }

                _values[(c * Channels) + k] = n > 0 ? (float)(sum / n) : 0;
            }
        }
    }

    // A covered cell's value (edge or inside) into a neighbour mean; cells off the grid or outside do not count.
    private void Add(int cx, int cy, int k, int gw, int gh, ref double sum, ref int n)
    {
        if (cx < 0 || cy < 0 || cx >= gw || cy >= gh)
        {
            return;
        }

        var c = (cy * gw) + cx;
        if (_state[c] == Outside)
        {
            return;
        }

        sum += _values[(c * Channels) + k];
        n++;
    }

    private void Correct(Span<byte> layer, ReadOnlySpan<byte> coverage, int width, int left, int top, int right, int bottom, int cell, int gw, int gh)
    {
        // Cell values sit at cell centres; each pixel reads the bilinear mix of the four around it, clamped at the grid's
        // rim: first along y for the whole row of cells, then along x per pixel from precomputed columns.
        var boxWidth = right - left + 1;
        if (_columns.Length < boxWidth)
        {
            _columns = new int[boxWidth];
            _weights = new float[boxWidth];
        }

        for (var x = 0; x < boxWidth; x++)
        {
            var gx = Math.Clamp(((x + 0.5f) / cell) - 0.5f, 0, gw - 1);
            _columns[x] = Math.Min((int)gx, gw - 1);
            _weights[x] = gx - _columns[x];
        }

        if (_row.Length < (gw + 1) * Channels)
        {
            _row = new float[(gw + 1) * Channels];
        }

        var row = _row.AsSpan(0, (gw + 1) * Channels);
        for (var y = top; y <= bottom; y++)
        {
            var gy = Math.Clamp(((y - top + 0.5f) / cell) - 0.5f, 0, gh - 1);
            var y0 = Math.Min((int)gy, gh - 1);
            var y1 = Math.Min(y0 + 1, gh - 1);
            var fy = gy - y0;
            for (var i = 0; i < gw * Channels; i++)
            {
                var upper = _values[(y0 * gw * Channels) + i];
                row[i] = upper + (fy * (_values[(y1 * gw * Channels) + i] - upper));
            }

            row.Slice((gw - 1) * Channels, Channels).CopyTo(row.Slice(gw * Channels, Channels)); // x1 past the rim reads the rim

            var line = y * width;
            for (var x = left; x <= right; x++)
            {
                if (coverage[line + x] == 0)
                {
                    continue;
                }

                var c0 = _columns[x - left] * Channels;
                var fx = _weights[x - left];
                var p = (line + x) * Channels;
                for (var k = 0; k < Channels; k++)
                {
                    var d = Math.Clamp(row[c0 + k] + (fx * (row[c0 + Channels + k] - row[c0 + k])), -MaxCorrection, MaxCorrection);
                    layer[p + k] = (byte)Math.Clamp((int)MathF.Floor(layer[p + k] + d + 0.5f), 0, 255);
                }
            }
        }
    }
}
