using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Stage;

/// <summary>Tracked faces (pixels) put into the canonical frame, as the motion models read them.</summary>
/// <param name="Faces">[Frames, 136] canonical faces (0 where no face).</param>
/// <param name="Present">[Frames] 1 where a face was tracked.</param>
/// <param name="ToCanonical">[Frames, 4] similarity (a, b, tx, ty) from the frame's pixels to the canonical frame.</param>
public sealed record CanonicalTrack(int Frames, float[] Faces, byte[] Present, double[] ToCanonical)
{
    private const int Face = Landmarks68.FloatCount;

    /// <param name="landmarks">[≥ frames, 136] the tracker's landmarks in pixels.</param>
    /// <param name="present">[≥ frames] the tracker's presence flags.</param>
    public static CanonicalTrack From(ReadOnlySpan<float> landmarks, ReadOnlySpan<byte> present, int frames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (landmarks.Length < (long)frames * Face || present.Length < frames)
        {
            throw new ArgumentException($"{frames} frames need {(long)frames * Face} landmark floats and {frames} presence flags", nameof(landmarks));
        }

        var faces = new float[frames * Face];
        var valid = new byte[frames];
        var toCanonical = new double[frames * 4];
        for (var f = 0; f < frames; f++)
        {
            if (present[f] == 0)
            {
                continue;
            }

            var t = CanonicalFace.Normalise(landmarks.Slice(f * Face, Face), faces.AsSpan(f * Face, Face));
            toCanonical[4 * f] = t.A;
            toCanonical[(4 * f) + 1] = t.B;
            toCanonical[(4 * f) + 2] = t.Tx;
            toCanonical[(4 * f) + 3] = t.Ty;
            valid[f] = 1;
        }

        return new CanonicalTrack(frames, faces, valid, toCanonical);
    }
}
