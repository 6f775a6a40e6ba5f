namespace Pipeline.FaceTracking.Tracking;

/// <summary>
/// A face's look as a 16x16 grey patch sampled in a frame aligned to the eyes (rotation and scale removed), zero mean
/// and unit norm, so lighting level and contrast cancel. Two shots of one person correlate far more than two people
/// do; that is what keeps identity across shot cuts. Not a face recogniser: it separates the few faces of one video.
/// </summary>
public static class FaceAppearance
{
    public const int Size = 16;
    public const int Length = Size * Size;

    /// <summary>Samples the patch of the face with landmarks <paramref name="xy"/> into <paramref name="descriptor"/>.</summary>
    public static void Describe(ReadOnlySpan<byte> rgb24, int width, int height, int stride, ReadOnlySpan<float> xy, Span<float> descriptor)
    {
        // Eye centres (means of each eye's six points) fix the frame: origin between them, x along them, unit = their distance.
        double lx = 0, ly = 0, rx = 0, ry = 0;
        for (var p = 36; p < 42; p++)
        {
            rx += xy[2 * p];
            ry += xy[(2 * p) + 1];
            lx += xy[2 * (p + 6)];
            ly += xy[(2 * (p + 6)) + 1];
        }

        (rx, ry, lx, ly) = (rx / 6, ry / 6, lx / 6, ly / 6);
        var ox = (rx + lx) / 2;
        var oy = (ry + ly) / 2;
        var ux = lx - rx;
        var uy = ly - ry;
        // Down the face is the eye line turned a quarter: (-uy, ux).
        var sum = 0.0;
        for (var j = 0; j < Size; j++)
        {
            var v = -0.6 + (2.4 * (j + 0.5) / Size); // brows to chin
            for (var i = 0; i < Size; i++)
            {
                var u = -1.0 + (2.0 * (i + 0.5) / Size); // cheek to cheek
                var x = (int)Math.Round(ox + (u * ux) - (v * uy));
                var y = (int)Math.Round(oy + (u * uy) + (v * ux));
                float g = 0;
                if ((uint)x < (uint)width && (uint)y < (uint)height)
                {
                    var k = (y * stride) + (x * 3);
                    g = ((0.299f * rgb24[k]) + (0.587f * rgb24[k + 1]) + (0.114f * rgb24[k + 2])) / 255f;
                }

                descriptor[(j * Size) + i] = g;
                sum += g;
            }
        }

        var mean = (float)(sum / Length);
        var norm = 0.0;
        for (var i = 0; i < Length; i++)
        {
            descriptor[i] -= mean;
            norm += descriptor[i] * descriptor[i];
        }

        var inv = norm > 1e-12 ? (float)(1 / Math.Sqrt(norm)) : 0f;
        for (var i = 0; i < Length; i++)
        {
            descriptor[i] *= inv;
        }
    }

    public static double Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var dot = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot;
    }
}
