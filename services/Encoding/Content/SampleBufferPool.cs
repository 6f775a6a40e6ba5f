using System.Collections.Concurrent;
using System.Numerics;

namespace Pipeline.Encoding.Content;

/// <summary>
/// Window buffers for one encode, retained up to a fixed count. The shared <see cref="System.Buffers.ArrayPool{T}"/>
/// keeps a buffer per thread and several per core for every size class, so 4–16 MB window buffers handed back
/// from recogniser threads piled up over a long track; this pool keeps exactly what the pipeline can have in
/// flight and lets the rest go, so memory for a 3-hour track is that of a 10-minute one.
/// </summary>
internal sealed class SampleBufferPool(int maxRetained)
{
    private readonly ConcurrentBag<float[]> _free = [];
    private int _retained;

    public float[] Rent(int minimumLength)
    {
        var length = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, minimumLength));
        while (_free.TryTake(out var buffer))
        {
            Interlocked.Decrement(ref _retained);
            if (buffer.Length >= length)
            {
                return buffer;
            }
        }

        return new float[length];
    }

    public void Return(float[] buffer)
    {
        if (buffer.Length == 0 || Interlocked.Increment(ref _retained) > maxRetained)
        {
            Interlocked.Decrement(ref _retained);
            return;
        }

        _free.Add(buffer);
    }
}
