namespace Pipeline.Render.Onnx;

/// <summary>
/// One chunk's reusable tensors for a <see cref="Wav2LipModel"/> call: slot i holds frame i's mel window
/// [1, bands, window], its face [6, S, S] (the masked crop's three channels, then the reference crop's) and, after the
/// run, the generated face [3, S, S]. Allocated once per chunk; frames only fill slots.
/// </summary>
public sealed class Wav2LipBatch(int capacity, int bands, int window, int size)
{
    public int Capacity { get; } = capacity;

    public int Bands { get; } = bands;

    public int Window { get; } = window;

    public int Size { get; } = size;

    public int MelFloats => Bands * Window;

    public int FaceFloats => 6 * Size * Size;

    public int OutputFloats => 3 * Size * Size;

    public float[] Mel { get; } = new float[capacity * bands * window];

    public float[] Face { get; } = new float[capacity * 6 * size * size];

    public float[] Output { get; } = new float[capacity * 3 * size * size];

    public Span<float> MelSlot(int slot) => Mel.AsSpan(slot * MelFloats, MelFloats);

    public Span<float> FaceSlot(int slot) => Face.AsSpan(slot * FaceFloats, FaceFloats);

    public ReadOnlySpan<float> OutputSlot(int slot) => Output.AsSpan(slot * OutputFloats, OutputFloats);
}
