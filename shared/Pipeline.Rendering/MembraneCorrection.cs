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
        // An inside cell never touches an outside one (the edge pixels between them would make it an edge cell).
        var size = Math.Max(gw, gh);
        var omega = 2 / (1 + Math.Sin(Math.PI / (size + 1)));
        var iterations = (4 * size) + 20;
        for (var it = 0; it < iterations; it++)
        {
            for (var cy = 0; cy < gh; cy++)
            {
                for (var cx = 0; cx < gw; cx++)
                {
                    var c = (cy * gw) + cx;
                    if (_state[c] != Inside)
                    {
                        continue;
                    }

                    for (var k = 0; k < Channels; k++)
                    {
                        double sum = 0;
                        var n = 0;
                        Add(cx - 1, cy, k, gw, gh, ref sum, ref n);
                        Add(cx + 1, cy, k, gw, gh, ref sum, ref n);
                        Add(cx, cy - 1, k, gw, gh, ref sum, ref n);
                        Add(cx, cy + 1, k, gw, gh, ref sum, ref n);
                        if (n > 0)
                        {
                            ref var v = ref _values[(c * Channels) + k];
                            v += (float)(omega * ((sum / n) - v));
                        }
                    }
                }
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
        for (var y = top; y <= bottom; y++)
        {
            // Cell values sit at cell centres; bilinear between the four around the pixel, clamped at the grid's rim.
            var gy = Math.Clamp(((y - top + 0.5f) / cell) - 0.5f, 0, gh - 1);
            var y0 = Math.Min((int)gy, gh - 1);
            var y1 = Math.Min(y0 + 1, gh - 1);
            var fy = gy - y0;
            var row = y * width;
            for (var x = left; x <= right; x++)
            {
                if (coverage[row + x] == 0)
                {
                    continue;
                }

                var gx = Math.Clamp(((x - left + 0.5f) / cell) - 0.5f, 0, gw - 1);
                var x0 = Math.Min((int)gx, gw - 1);
                var x1 = Math.Min(x0 + 1, gw - 1);
                var fx = gx - x0;
                var (c00, c10, c01, c11) = (((y0 * gw) + x0) * Channels, ((y0 * gw) + x1) * Channels, ((y1 * gw) + x0) * Channels, ((y1 * gw) + x1) * Channels);
                var p = (row + x) * Channels;
                for (var k = 0; k < Channels; k++)
                {
                    var upper = _values[c00 + k] + (fx * (_values[c10 + k] - _values[c00 + k]));
                    var lower = _values[c01 + k] + (fx * (_values[c11 + k] - _values[c01 + k]));
                    var d = Math.Clamp(upper + (fy * (lower - upper)), -MaxCorrection, MaxCorrection);
                    layer[p + k] = (byte)Math.Clamp((int)MathF.Round(layer[p + k] + d, MidpointRounding.AwayFromZero), 0, 255);
                }
            }
        }
    }
}
