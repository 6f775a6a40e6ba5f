namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// The sliding stretch of the input that frames still need, addressed by absolute sample index. Reads land in
/// its free tail; consumed samples are dropped by moving the kept tail to the front, so the buffer never grows.
/// Outside [0, length) samples read as zeros (analysis frames) or mirror as numpy's 'reflect' pad (Wav2Lip).
/// </summary>
internal sealed class SampleWindow(int capacity)
{
    private readonly float[] _buffer = new float[capacity];
    private long _start;
    private int _count;

    /// <summary>One past the last sample received.</summary>
    public long End => _start + _count;

    public bool Ended { get; private set; }

    /// <summary>
    /// Free space for the next read. Samples before <paramref name="keepFrom"/> are dropped once half the buffer is
    /// used, so the copy that compacts it is rare and short.
    /// </summary>
    public Memory<float> FreeSpace(long keepFrom)
    {
        var drop = (int)Math.Clamp(keepFrom - _start, 0, _count);
        if (drop > 0 && _buffer.Length - _count < _buffer.Length / 2)
        {
            Array.Copy(_buffer, drop, _buffer, 0, _count - drop);
            _start += drop;
            _count -= drop;
        }

        if (_count == _buffer.Length)
        {
            throw new InvalidOperationException("sample window is full: frames fell too far behind the input");
        }

        return _buffer.AsMemory(_count);
    }

    public void Commit(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(samples, _buffer.Length - _count);
        _count += samples;
    }

    public void MarkEnded() => Ended = true;

    /// <summary>Copies samples [from, from + dest.Length), zeros outside the signal.</summary>
    public void CopyZeroPadded(long from, Span<float> dest)
    {
        if (from >= _start && from + dest.Length <= End)
        {
            _buffer.AsSpan((int)(from - _start), dest.Length).CopyTo(dest);
            return;
        }

        for (var n = 0; n < dest.Length; n++)
        {
            var index = from + n;
            dest[n] = index < 0 || (Ended && index >= End) ? 0f : At(index);
        }
    }

    /// <summary>
    /// Copies the pre-emphasised signal y[n] = x[n] - k x[n-1] (y[0] = x[0], as scipy.signal.lfilter) at
    /// [from, from + dest.Length), mirrored at both ends like np.pad(mode='reflect').
    /// </summary>
    public void CopyPreEmphasisedReflected(long from, Span<float> dest, float k)
    {
        if (from >= 1 && from - 1 >= _start && from + dest.Length <= End)
        {
            var src = _buffer.AsSpan((int)(from - 1 - _start), dest.Length + 1);
            for (var n = 0; n < dest.Length; n++)
            {
                dest[n] = src[n + 1] - (k * src[n]);
            }

            return;
        }

        for (var n = 0; n < dest.Length; n++)
        {
            var r = Reflect(from + n);
            dest[n] = r == 0 ? At(0) : At(r) - (k * At(r - 1));
        }
    }

    private long Reflect(long index)
    {
        if (index >= 0 && (!Ended || index < End))
        {
            return index;
        }

        if (index >= End && !Ended)
        {
            throw new InvalidOperationException("reflecting past the end before the end is known");
        }

        var length = End;
        if (length <= 1)
        {
            return 0;
        }

        var period = 2 * (length - 1);
        var m = ((index % period) + period) % period;
        return m >= length ? period - m : m;
    }

    private float At(long index)
    {
        if (index < _start || index >= End)
        {
            throw new InvalidOperationException($"sample {index} is no longer (or not yet) in the window [{_start}, {End})");
        }

        return _buffer[index - _start];
    }
}
