namespace Pipeline.Media;

/// <summary>Interleaved float samples at a fixed rate, read front to back.</summary>
public interface IAudioSampleSource
{
    int SampleRate { get; }

    int Channels { get; }

    /// <summary>
    /// Fills the start of <paramref name="interleaved"/> with whole sample frames (a multiple of
    /// <see cref="Channels"/> floats) and returns how many floats it wrote; 0 only at the end.
    /// </summary>
    ValueTask<int> ReadAsync(Memory<float> interleaved, CancellationToken ct = default);
}
