namespace Pipeline.FaceTracking.Tracking;

/// <summary>
/// Finds hard cuts from the change of a tiny grey thumbnail between consecutive frames: a cut replaces most of the
/// picture at once, while talking-head motion changes a few per cent of it. Cost: one strided pass over the frame.
/// </summary>
public sealed class ShotCutDetector(double threshold)
{
    private const int Size = 32;
    private readonly float[] _previous = new float[Size * Size];
    private readonly float[] _current = new float[Size * Size];
    private bool _hasPrevious;

    /// <summary>The last frame's change (0..1), for logs and tuning.</summary>
    public double LastChange { get; private set; }

    public bool IsCut(ReadOnlySpan<byte> rgb24, int width, int height, int stride)
    {
        for (var ty = 0; ty < Size; ty++)
        {
            var y = (int)(((ty + 0.5) * height) / Size);
            var row = rgb24.Slice(y * stride, width * 3);
            for (var tx = 0; tx < Size; tx++)
            {
                // Mean of a 2x2 sample patch: one pixel alone would make noise look like change.
                var x = Math.Min(width - 2, (int)(((tx + 0.5) * width) / Size));
                var i = x * 3;
                _current[(ty * Size) + tx] = (row[i] + row[i + 1] + row[i + 2] + row[i + 3] + row[i + 4] + row[i + 5]) / (6f * 255f);
            }
        }

        var cut = false;
        if (_hasPrevious)
        {
            var sum = 0.0;
            for (var i = 0; i < _current.Length; i++)
            {
                sum += Math.Abs(_current[i] - _previous[i]);
            }

            LastChange = sum / _current.Length;
            cut = LastChange > threshold;
        }

        _current.CopyTo(_previous, 0);
        _hasPrevious = true;
        return cut;
    }
}
