namespace Pipeline.Motion.Stage;

/// <summary>
/// The dub target as the motion stage reads it, per video frame: tracked faces in the canonical frame, the
/// similarity that took each there, and the footage's own speech on the same clock (for fitting).
/// </summary>
/// <param name="Faces">[Frames, 136] canonical faces (0 where no face).</param>
/// <param name="Present">[Frames] 1 where a face was tracked.</param>
/// <param name="ToCanonical">[Frames, 4] similarity (a, b, tx, ty) from frame pixels to the canonical frame.</param>
/// <param name="Speech">The footage's own sound track, analysed.</param>
public sealed record TargetFootage(int Frames, double Fps, float[] Faces, byte[] Present, double[] ToCanonical, SpeechTrack Speech);

/// <summary>A speech track's per-frame features (the audio-features and content stages' outputs).</summary>
/// <param name="Visemes">[Frames, 15].</param>
/// <param name="Mfcc">[Frames, 39].</param>
/// <param name="EnergyDbfs">[Frames].</param>
/// <param name="Vad">[Frames].</param>
public sealed record SpeechTrack(int Frames, float[] Visemes, float[] Mfcc, float[] EnergyDbfs, byte[] Vad);
