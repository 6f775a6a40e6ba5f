using Pipeline.Media;

namespace Pipeline.Encoding.Content;

/// <summary>
/// Reads a decoder's output a chunk at a time into pooled buffers, sample-exact: chunk k gets the samples from
/// round(start_k × rate) to round(end_k × rate), so consecutive chunks tile the stream with no gap or overlap.
/// </summary>
internal sealed class ChunkSamples(IAudioSampleSource reader, SampleBufferPool pool, int leadInSamples = 0)
{
    private readonly float[] _tail = new float[leadInSamples];
    private int _tailLength;
    private long _position;
    private bool _ended;

    public int SampleRate => reader.SampleRate;

    /// <summary>
    /// The samples up to <paramref name="endSeconds"/> (fewer at the end of the stream), preceded by up to the
    /// lead-in's worth of the previous chunk's last samples (<see cref="PooledSamples.LeadIn"/> says how many);
    /// return the array to the pool.
    /// </summary>
    public async Task<PooledSamples> ReadUntilAsync(double endSeconds, CancellationToken ct)
    {
        var target = (long)Math.Round(endSeconds * reader.SampleRate);
        var count = checked((int)Math.Max(0, target - _position));
        var lead = _tailLength;
        var buffer = pool.Rent(lead + count);
        _tail.AsSpan(0, lead).CopyTo(buffer);
        var filled = 0;
        while (filled < count && !_ended)
        {
            var got = await reader.ReadAsync(buffer.AsMemory(lead + filled, count - filled), ct).ConfigureAwait(false);
            if (got == 0)
            {
                _ended = true;
                break;
            }

            filled += got;
        }

        _position += count;
        var total = lead + filled;
        _tailLength = Math.Min(_tail.Length, total);
        buffer.AsSpan(total - _tailLength, _tailLength).CopyTo(_tail);
        return new PooledSamples(buffer, total, lead, pool);
    }
}

/// <summary>A rented sample buffer and how much of it holds samples.</summary>
internal readonly record struct PooledSamples(float[] Buffer, int Length, int LeadIn = 0, SampleBufferPool? Pool = null)
{
    public static PooledSamples None { get; } = new([], 0);

    public ReadOnlyMemory<float> Memory => Buffer.AsMemory(0, Length);

    public void Return()
    {
        Pool?.Return(Buffer);
    }
}
