using Pipeline.FaceGeometry;

namespace Pipeline.Render.Onnx;

/// <summary>
/// The square of frame pixels a wav2lip model sees: the box around all 68 landmarks, padded by the manifest's shares
/// of the face's size (top, bottom, left, right, as Wav2Lip's --pads), then made square about its centre so the
/// model's square input is not stretched. May reach past the frame's edge (those pixels read as the nearest edge).
/// </summary>
public readonly record struct FaceBox(int Left, int Top, int Side)
{
    public int Right => Left + Side - 1;

    public int Bottom => Top + Side - 1;

    public static FaceBox Around(ReadOnlySpan<float> landmarks, ReadOnlySpan<double> padding)
    {
        if (landmarks.Length < Landmarks68.FloatCount || padding.Length < 4)
        {
            throw new ArgumentException($"68 landmarks ({Landmarks68.FloatCount} floats) and 4 paddings are needed");
        }

        var b = Landmarks68.Bounds(landmarks);
        var size = Math.Max(1.0, Math.Max(b.MaxX - b.MinX, b.MaxY - b.MinY));
        var top = b.MinY - (padding[0] * size);
        var bottom = b.MaxY + (padding[1] * size);
        var left = b.MinX - (padding[2] * size);
        var right = b.MaxX + (padding[3] * size);
        var side = Math.Max(8, (int)Math.Ceiling(Math.Max(right - left, bottom - top)));
        var (cx, cy) = ((left + right) / 2, (top + bottom) / 2);
        return new FaceBox((int)Math.Round(cx - (side / 2.0)), (int)Math.Round(cy - (side / 2.0)), side);
    }
}
