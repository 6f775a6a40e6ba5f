namespace Pipeline.Render.Onnx;

/// <summary>
/// Fills a wav2lip face slot from an rgb24 frame: the <see cref="FaceBox"/> resized to S×S (bilinear, pixel centres
/// aligned, as OpenCV's INTER_LINEAR), in the manifest's channel order and scale; channels 0-2 are the crop with its
/// lower half zeroed (what the model must draw), 3-5 the whole crop (the reference: this frame's own face, as Wav2Lip's
/// inference uses). The sampling tables are kept from frame to frame.
/// </summary>
public sealed class FaceCropper(int frameWidth, int frameHeight, int size, bool bgr, float scale)
{
    private readonly int[] _x0 = new int[size];
    private readonly int[] _x1 = new int[size];
    private readonly float[] _wx = new float[size];

    public void Fill(ReadOnlySpan<byte> frame, FaceBox box, Span<float> face)
    {
        var plane = size * size;
        if (face.Length < 6 * plane || frame.Length < frameWidth * frameHeight * 3)
        {
            throw new ArgumentException($"a {frameWidth}x{frameHeight} rgb24 frame and 6x{size}x{size} floats are needed");
        }

        var step = box.Side / (float)size;
        for (var u = 0; u < size; u++)
        {
            (_x0[u], _x1[u], _wx[u]) = Taps(box.Left + ((u + 0.5f) * step) - 0.5f, frameWidth);
        }

        var half = size / 2;
        for (var v = 0; v < size; v++)
        {
            var (y0, y1, wy) = Taps(box.Top + ((v + 0.5f) * step) - 0.5f, frameHeight);
            var row0 = frame.Slice(y0 * frameWidth * 3, frameWidth * 3);
            var row1 = frame.Slice(y1 * frameWidth * 3, frameWidth * 3);
            var masked = v >= half;
            for (var u = 0; u < size; u++)
            {
                var (a, b, wx) = (_x0[u] * 3, _x1[u] * 3, _wx[u]);
                var at = (v * size) + u;
                for (var c = 0; c < 3; c++)
                {
                    var top = row0[a + c] + (wx * (row0[b + c] - row0[a + c]));
                    var bottom = row1[a + c] + (wx * (row1[b + c] - row1[a + c]));
                    var value = (top + (wy * (bottom - top))) * scale;
                    var channel = bgr ? 2 - c : c;
                    face[(channel * plane) + at] = masked ? 0f : value;
                    face[((3 + channel) * plane) + at] = value;
                }
            }
        }
    }

    // The two source pixels either side of a sample position and the weight of the second; outside the frame, the edge.
    internal static (int First, int Second, float Weight) Taps(float position, int length)
    {
        var clamped = Math.Clamp(position, 0f, length - 1);
        var first = (int)clamped;
        var second = Math.Min(first + 1, length - 1);
        return (first, second, clamped - first);
    }
}
