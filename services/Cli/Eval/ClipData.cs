namespace Pipeline.Cli.Eval;

/// <summary>
/// One clip prepared for self-reenactment: its tracked faces in the canonical frame and its own speech, per frame.
/// Arrays are row-major over <see cref="Frames"/> frames; <see cref="ToCanonical"/> holds each frame's similarity
/// (a, b, tx, ty) from pixels to the canonical frame.
/// </summary>
public sealed record ClipData(
    string Name,
    int Frames,
    double Fps,
    float[] Faces,
    byte[] Valid,
    float[] Visemes,
    float[] Mfcc,
    float[] EnergyDbfs,
    byte[] Vad,
    int Width,
    int Height,
    double[] ToCanonical);
