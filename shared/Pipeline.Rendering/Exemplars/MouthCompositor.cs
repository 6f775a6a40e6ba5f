using Pipeline.FaceGeometry;

namespace Pipeline.Rendering.Exemplars;

/// <summary>
/// The exemplar backend's frame step: an exemplar's lips, teeth and the skin just around them (its
/// <see cref="MouthMesh"/>) warped onto the predicted landmarks, shifted in colour to the frame's own skin around the
/// mouth, made to meet the frame along the mesh's edge (<see cref="MembraneCorrection"/>), and blended in with a
/// feathered edge. Only the mesh's box, grown by the feather, is read or written.
/// </summary>
public sealed class MouthCompositor
{
    private const int Channels = 3;

    /// <summary>Feather radius as a share of the mouth's width (the blend's soft edge reaches twice as far).</summary>
    private const float FeatherShare = 0.06f;

    /// <summary>Cells across the mouth's width in the membrane's grid (<see cref="MembraneCorrection"/>).</summary>
    private const int MembraneCells = 12;

    private readonly int _width;
    private readonly int _height;
    private readonly byte[] _layer;
    private readonly byte[] _coverage;
    private readonly FeatheredBlend _blend;
    private readonly float[] _from = new float[2 * MouthMesh.PointCount];
    private readonly float[] _to = new float[2 * MouthMesh.PointCount];
    private readonly FollowedColourShift _colour = new();
    private readonly MembraneCorrection _membrane = new();

    public MouthCompositor(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        (_width, _height) = (width, height);
        _layer = new byte[width * height * Channels];
        _coverage = new byte[width * height];
        _blend = new FeatheredBlend(width, height);
    }

    /// <summary>The colour shift in use (r, g, b levels added to the exemplar).</summary>
    public ReadOnlySpan<float> Shift => _colour.Values;

    /// <summary>Forget the running colour shift: the next face starts afresh (a cut, or frames without a face).</summary>
    public void Reset() => _colour.Reset();

    /// <param name="frame">The frame to draw into (rgb24, in place): the original, or the warp backend's output.</param>
    /// <param name="crop">The exemplar's rgb24 crop, <paramref name="cropWidth"/> × <paramref name="cropHeight"/>.</param>
    /// <param name="exemplarFace">The exemplar's 68 landmarks in the crop's pixels.</param>
    /// <param name="predicted">Where the motion stage put this frame's 68 landmarks (frame pixels).</param>
    public void Apply(Span<byte> frame, ReadOnlySpan<byte> crop, int cropWidth, int cropHeight, ReadOnlySpan<float> exemplarFace, ReadOnlySpan<float> predicted)
    {
        if (frame.Length < _width * _height * Channels)
        {
            throw new ArgumentException($"a {_width}x{_height} rgb24 frame is needed", nameof(frame));
        }

        MouthMesh.Build(exemplarFace, _from);
        var mouthWidth = MouthMesh.Build(predicted, _to);
        var radius = Math.Max(1, (int)(FeatherShare * mouthWidth));
        var bounds = Landmarks68.Bounds(_to);
        var reach = (2 * radius) + 2;
        var left = Math.Clamp((int)MathF.Floor(bounds.MinX) - reach, 0, _width - 1);
        var top = Math.Clamp((int)MathF.Floor(bounds.MinY) - reach, 0, _height - 1);
        var right = Math.Clamp((int)MathF.Ceiling(bounds.MaxX) + reach, left, _width - 1);
        var bottom = Math.Clamp((int)MathF.Ceiling(bounds.MaxY) + reach, top, _height - 1);
        if (bounds.MaxX < 0 || bounds.MaxY < 0 || bounds.MinX >= _width || bounds.MinY >= _height)
        {
            return; // the mouth is outside the picture
        }

        FollowedColourShift.CopyBox(frame, _layer, _width, left, top, right, bottom);
        var (inner, band) = MouthMesh.Split(Delaunay.Triangulate(_to));
        PiecewiseAffineWarp.Apply(crop, cropWidth, cropHeight, _from, _to, band, _layer, _width, _height, _coverage);
        MatchColour(frame, left, top, right, bottom);
        PiecewiseAffineWarp.Apply(crop, cropWidth, cropHeight, _from, _to, inner, _layer, _width, _height, _coverage);
        _colour.ApplyCovered(_layer, _coverage, _width, left, top, right, bottom);
        // What one shift leaves (the exemplar lit from another side) is spread from the mesh's edge over its inside.
        _membrane.Apply(frame, _layer, _coverage, _width, left, top, right, bottom, Math.Max(2, (int)(mouthWidth / MembraneCells)));
        _blend.Apply(frame, _layer, _coverage, radius, left, top, right, bottom); // the mesh, so its coverage, is in the box
        FollowedColourShift.CopyBox(_layer, frame, _width, left, top, right, bottom);
        for (var y = top; y <= bottom; y++)
        {
            _coverage.AsSpan((y * _width) + left, right - left + 1).Clear();
        }
    }

    // The skin band (the only covered pixels so far): the frame's mean minus the exemplar's, followed smoothly.
    private void MatchColour(ReadOnlySpan<byte> frame, int left, int top, int right, int bottom)
    {
        Span<double> delta = stackalloc double[Channels];
        long count = 0;
        for (var y = top; y <= bottom; y++)
        {
            for (var x = left; x <= right; x++)
            {
                if (_coverage[(y * _width) + x] == 0)
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
    }
}
