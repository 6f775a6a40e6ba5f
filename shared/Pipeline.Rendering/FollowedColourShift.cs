namespace Pipeline.Rendering;

/// <summary>
/// The colour correction a pasted layer (an exemplar's lips, a generator's face) gets so it matches the frame's skin:
/// the mean difference between frame and layer over some skin pixels, capped, and followed from frame to frame with a
/// factor so lighting changes are tracked while one odd frame cannot make the mouth flicker. Shared by the exemplar
/// and onnx backends; each chooses which pixels it measures on.
/// </summary>
public sealed class FollowedColourShift
{
    /// <summary>Share of each frame's measured difference taken into the running shift.</summary>
    public const float Follow = 0.3f;

    /// <summary>Largest correction per channel: beyond it the layer is wrong, not merely lit differently.</summary>
    public const float MaxShift = 40f;

    private const int Channels = 3;

    private readonly float[] _shift = new float[Channels];
    private bool _hasShift;

    /// <summary>The running shift per channel (r, g, b).</summary>
    public ReadOnlySpan<float> Values => _shift;

    /// <summary>Forgets the running shift: the next measurement is taken as it is (a cut, a face that came back).</summary>
    public void Reset()
    {
        _hasShift = false;
        Array.Clear(_shift);
    }

    /// <summary>Takes one frame's summed frame-minus-layer differences over <paramref name="count"/> pixels into the shift.</summary>
    public void Update(ReadOnlySpan<double> deltaSums, long count)
    {
        if (count == 0)
        {
            return;
        }

        for (var c = 0; c < Channels; c++)
        {
            var measured = Math.Clamp((float)(deltaSums[c] / count), -MaxShift, MaxShift);
            _shift[c] = _hasShift ? _shift[c] + (Follow * (measured - _shift[c])) : measured;
        }

        _hasShift = true;
    }

    /// <summary>Adds the rounded shift to every pixel of <paramref name="layer"/> that <paramref name="coverage"/> marks, inside the box.</summary>
    public void ApplyCovered(Span<byte> layer, ReadOnlySpan<byte> coverage, int width, int left, int top, int right, int bottom)
    {
        Span<int> shift = [(int)MathF.Round(_shift[0]), (int)MathF.Round(_shift[1]), (int)MathF.Round(_shift[2])];
        if (shift[0] == 0 && shift[1] == 0 && shift[2] == 0)
        {
            return;
        }

        for (var y = top; y <= bottom; y++)
        {
            for (var x = left; x <= right; x++)
            {
                if (coverage[(y * width) + x] == 0)
                {
                    continue;
                }

                var p = ((y * width) + x) * Channels;
                for (var c = 0; c < Channels; c++)
                {
                    layer[p + c] = (byte)Math.Clamp(layer[p + c] + shift[c], 0, 255);
                }
            }
        }
    }

    /// <summary>Copies the box's rows of an rgb24 frame <paramref name="width"/> pixels wide.</summary>
    public static void CopyBox(ReadOnlySpan<byte> from, Span<byte> to, int width, int left, int top, int right, int bottom)
    {
        var bytes = (right - left + 1) * Channels;
        for (var y = top; y <= bottom; y++)
        {
            var offset = ((y * width) + left) * Channels;
            from.Slice(offset, bytes).CopyTo(to.Slice(offset, bytes));
        }
    }
}
