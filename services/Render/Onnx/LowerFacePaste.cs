using Pipeline.FaceGeometry;
using Pipeline.Rendering;

namespace Pipeline.Render.Onnx;

/// <summary>
/// Lays a generated face back into its frame over the lower face only: the model's S×S output is resized to the
/// <see cref="FaceBox"/> (bilinear) inside the polygon of the jaw (points 2-14) closed under the nose (35-31), shifted
/// in colour to the frame's own skin there, and blended with a feathered edge. The feather fades inward from the
/// polygon's edge (outside it the layer is the original), so every pixel outside the lower face keeps its value.
/// </summary>
public sealed class LowerFacePaste
{
    private const int Channels = 3;

    /// <summary>Jaw from below the cheekbone round the chin, then under the nose from its left to its right.</summary>
    private static readonly int[] Outline = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 35, 34, 33, 32, 31];

    /// <summary>Feather radius as a share of the face's height (nose bridge to chin).</summary>
    private const float FeatherShare = 0.03f;



    private readonly int _width;
    private readonly int _height;
    private readonly int _size;
    private readonly bool _bgr;
    private readonly float _low;
    private readonly float _span;
    private readonly byte[] _generated;
    private readonly byte[] _layer;
    private readonly byte[] _coverage;
    private readonly FeatheredBlend _blend;
    private readonly float[] _polygon = new float[2 * Outline.Length];
    private readonly float[] _crossings = new float[Outline.Length];
    private readonly FollowedColourShift _colour = new();

    public LowerFacePaste(int width, int height, OnnxModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        (_width, _height, _size, _bgr) = (width, height, manifest.FaceSize, manifest.Bgr);
        (_low, _span) = ((float)manifest.OutputRange[0], (float)(manifest.OutputRange[1] - manifest.OutputRange[0]));
        _generated = new byte[_size * _size * Channels];
        _layer = new byte[width * height * Channels];
        _coverage = new byte[width * height];
        _blend = new FeatheredBlend(width, height);
    }

    /// <summary>The colour shift in use (r, g, b levels added to the generated face).</summary>
    public ReadOnlySpan<float> Shift => _colour.Values;

    /// <summary>Forget the running colour shift (frames without a face in between).</summary>
    public void Reset() => _colour.Reset();

    /// <param name="frame">The frame (rgb24), redrawn in place.</param>
    /// <param name="box">Where the model's input was cropped from.</param>
    /// <param name="output">The model's face, [3, S, S] in the manifest's channel order and output range.</param>
    /// <param name="landmarks">The frame's 68 tracked landmarks (pixels).</param>
    /// <returns>False when the lower face is outside the picture (nothing drawn).</returns>
    public bool Apply(Span<byte> frame, FaceBox box, ReadOnlySpan<float> output, ReadOnlySpan<float> landmarks)
    {
        if (frame.Length < _width * _height * Channels || output.Length < 3 * _size * _size || landmarks.Length < Landmarks68.FloatCount)
        {
            throw new ArgumentException($"a {_width}x{_height} rgb24 frame, 3x{_size}x{_size} floats and 68 landmarks are needed");
        }

        ToBytes(output);
        for (var i = 0; i < Outline.Length; i++)
        {
            (_polygon[2 * i], _polygon[(2 * i) + 1]) = (landmarks[2 * Outline[i]], landmarks[(2 * Outline[i]) + 1]);
        }

        var faceHeight = MathF.Max(1f, MathF.Abs(landmarks[(2 * Landmarks68.Chin) + 1] - landmarks[(2 * Landmarks68.NoseBridgeTop) + 1]));
        var radius = Math.Max(1, (int)(FeatherShare * faceHeight));
        var bounds = Landmarks68.Bounds(_polygon);
        var left = Math.Max(Math.Max(0, box.Left), (int)MathF.Floor(bounds.MinX));
        var top = Math.Max(Math.Max(0, box.Top), (int)MathF.Floor(bounds.MinY));
        var right = Math.Min(Math.Min(_width - 1, box.Right), (int)MathF.Ceiling(bounds.MaxX));
        var bottom = Math.Min(Math.Min(_height - 1, box.Bottom), (int)MathF.Ceiling(bounds.MaxY));
        if (left > right || top > bottom)
        {
            return false;
        }

        var reach = (2 * radius) + 1;
        var (l, t) = (Math.Max(0, left - reach), Math.Max(0, top - reach));
        var (r, b) = (Math.Min(_width - 1, right + reach), Math.Min(_height - 1, bottom + reach));
        FollowedColourShift.CopyBox(frame, _layer, _width, l, t, r, b);
        var covered = Rasterise(left, top, right, bottom);
        if (covered == 0)
        {
            return false;
        }

        Draw(box, left, top, right, bottom);
        MatchColour(frame, landmarks, left, top, right, bottom);
        _blend.Apply(frame, _layer, _coverage, radius);
        FollowedColourShift.CopyBox(_layer, frame, _width, l, t, r, b);
        for (var y = top; y <= bottom; y++)
        {
            _coverage.AsSpan((y * _width) + left, right - left + 1).Clear();
        }

        return true;
    }

    // The model's planes to interleaved rgb bytes, its output range mapped to 0..255.
    private void ToBytes(ReadOnlySpan<float> output)
    {
        var plane = _size * _size;
        var gain = 255f / _span;
        for (var c = 0; c < Channels; c++)
        {
            var source = output.Slice((_bgr ? 2 - c : c) * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                _generated[(i * Channels) + c] = (byte)Math.Clamp(MathF.Round((source[i] - _low) * gain), 0f, 255f);
            }
        }
    }

    // Even-odd scanline fill of the outline at pixel centres, within the box; returns the pixels covered.
    private long Rasterise(int left, int top, int right, int bottom)
    {
        var n = Outline.Length;
        long covered = 0;
        for (var y = top; y <= bottom; y++)
        {
            var cy = y + 0.5f;
            var count = 0;
            for (var i = 0; i < n; i++)
            {
                var j = (i + 1) % n;
                var (y0, y1) = (_polygon[(2 * i) + 1], _polygon[(2 * j) + 1]);
                if ((y0 <= cy) == (y1 <= cy))
                {
                    continue;
                }

                var (x0, x1) = (_polygon[2 * i], _polygon[2 * j]);
                _crossings[count++] = x0 + ((cy - y0) / (y1 - y0) * (x1 - x0));
            }

            var crossings = _crossings.AsSpan(0, count);
            crossings.Sort();
            var row = _coverage.AsSpan(y * _width, _width);
            for (var k = 0; k + 1 < count; k += 2)
            {
                var from = Math.Max(left, (int)MathF.Ceiling(crossings[k] - 0.5f));
                var to = Math.Min(right, (int)MathF.Floor(crossings[k + 1] - 0.5f));
                if (from <= to)
                {
                    row[from..(to + 1)].Fill(255);
                    covered += to - from + 1;
                }
            }
        }

        return covered;
    }

    // The generated face resized to the box (bilinear), written into the layer where the outline covers.
    private void Draw(FaceBox box, int left, int top, int right, int bottom)
    {
        var step = _size / (float)box.Side;
        for (var y = top; y <= bottom; y++)
        {
            var (v0, v1, wy) = FaceCropper.Taps(((y - box.Top + 0.5f) * step) - 0.5f, _size);
            var coverage = _coverage.AsSpan(y * _width, _width);
            for (var x = left; x <= right; x++)
            {
                if (coverage[x] == 0)
                {
                    continue;
                }

                var (u0, u1, wx) = FaceCropper.Taps(((x - box.Left + 0.5f) * step) - 0.5f, _size);
                var (a, b2, c2, d) = (((v0 * _size) + u0) * 3, ((v0 * _size) + u1) * 3, ((v1 * _size) + u0) * 3, ((v1 * _size) + u1) * 3);
                var p = ((y * _width) + x) * Channels;
                for (var c = 0; c < Channels; c++)
                {
                    var upper = _generated[a + c] + (wx * (_generated[b2 + c] - _generated[a + c]));
                    var lower = _generated[c2 + c] + (wx * (_generated[d + c] - _generated[c2 + c]));
                    _layer[p + c] = (byte)MathF.Round(upper + (wy * (lower - upper)));
                }
            }
        }
    }

    // The frame's skin minus the generated skin, over covered pixels away from the lips (whose shape the model changed),
    // followed smoothly from frame to frame, then added to every covered pixel of the layer.
    private void MatchColour(ReadOnlySpan<byte> frame, ReadOnlySpan<float> landmarks, int left, int top, int right, int bottom)
    {
        var lips = Landmarks68.Bounds(landmarks.Slice(2 * Landmarks68.Mouth.Start, 2 * Landmarks68.Mouth.Count));
        var margin = 0.2f * (lips.MaxX - lips.MinX);
        Span<double> delta = stackalloc double[Channels];
        long count = 0;
        for (var y = top; y <= bottom; y++)
        {
            var nearLipsY = y >= lips.MinY - margin && y <= lips.MaxY + margin;
            for (var x = left; x <= right; x++)
            {
                if (_coverage[(y * _width) + x] == 0 || (nearLipsY && x >= lips.MinX - margin && x <= lips.MaxX + margin))
                {
                    continue;
                }

                var p = ((y * _width) + x) * Channels;
                for (var c = 0; c < Channels; c++)
                {
                    delta[c] += frame[p + c] - _layer[p + c];
                }

                count++;
            }
        }

        _colour.Update(delta, count);
        _colour.ApplyCovered(_layer, _coverage, _width, left, top, right, bottom);
    }
}
