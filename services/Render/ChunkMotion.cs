using Pipeline.Contracts.Artifacts;
using Pipeline.FaceGeometry;

namespace Pipeline.Render;

/// <summary>One render chunk's rows of the whole job's predicted motion.</summary>
public static class ChunkMotion
{
    /// <summary>
    /// The chunk's landmarks and presence flags. Rows past the motion's end read as no face, so those frames pass
    /// through untouched: the motion follows the output's length, and a chunk of the video may lie wholly beyond it
    /// (a 38 s video dubbed with 12 s of speech still has a chunk at 30 s, which the mux then cuts).
    /// </summary>
    public static (float[] Landmarks, byte[] Present) Slice(ReadOnlySpan<float> all, ReadOnlySpan<byte> present, ChunkRange chunk)
    {
        var frames = chunk.FrameCount;
        var landmarks = new float[frames * Landmarks68.FloatCount];
        var flags = new byte[frames];
        var rows = Math.Min(present.Length, all.Length / Landmarks68.FloatCount);
        var available = (int)Math.Clamp(rows - chunk.StartFrame, 0, frames);
        if (available > 0)
        {
            all.Slice((int)(chunk.StartFrame * Landmarks68.FloatCount), available * Landmarks68.FloatCount).CopyTo(landmarks);
            present.Slice((int)chunk.StartFrame, available).CopyTo(flags);
        }

        return (landmarks, flags);
    }
}
