namespace Pipeline.Motion.Evaluation;

/// <summary>
/// Luma quality measures between a rendered frame and the real one (packed rgb24, same size): SSIM over 8×8 windows
/// at a stride of 4 (Wang et al. 2004 constants), and squared error sums for PSNR.
/// </summary>
public static class ImageQuality
{
    private const int Window = 8;
    private const int Stride = 4;
    private const double C1 = 0.01 * 255 * 0.01 * 255;
    private const double C2 = 0.03 * 255 * 0.03 * 255;

    /// <summary>BT.601 luma of every pixel.</summary>
    public static void Luma(ReadOnlySpan<byte> rgb, Span<float> luma)
    {
        for (var i = 0; i < luma.Length; i++)
        {
            luma[i] = (0.299f * rgb[3 * i]) + (0.587f * rgb[(3 * i) + 1]) + (0.114f * rgb[(3 * i) + 2]);
        }
    }

    /// <summary>Mean SSIM of the windows inside <paramref name="box"/>; NaN when the box holds no whole window.</summary>
    public static double Ssim(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int width, PixelBox box)
    {
        double sum = 0;
        var windows = 0;
        for (var y = box.Top; y + Window - 1 <= box.Bottom; y += Stride)
        {
            for (var x = box.Left; x + Window - 1 <= box.Right; x += Stride)
            {
                double ma = 0, mb = 0;
                for (var dy = 0; dy < Window; dy++)
                {
                    var row = ((y + dy) * width) + x;
                    for (var dx = 0; dx < Window; dx++)
                    {
                        ma += a[row + dx];
                        mb += b[row + dx];
                    }
                }

                const double N = Window * Window;
                (ma, mb) = (ma / N, mb / N);
                double va = 0, vb = 0, cov = 0;
                for (var dy = 0; dy < Window; dy++)
                {
                    var row = ((y + dy) * width) + x;
                    for (var dx = 0; dx < Window; dx++)
                    {
                        var (da, db) = (a[row + dx] - ma, b[row + dx] - mb);
                        va += da * da;
                        vb += db * db;
                        cov += da * db;
                    }
                }

                (va, vb, cov) = (va / (N - 1), vb / (N - 1), cov / (N - 1));
                sum += ((2 * ma * mb) + C1) * ((2 * cov) + C2) / (((ma * ma) + (mb * mb) + C1) * (va + vb + C2));
                windows++;
            }
        }

        return windows == 0 ? double.NaN : sum / windows;
    }

    /// <summary>Adds the squared luma errors inside (or outside) <paramref name="box"/> to the running sums.</summary>
    public static void AddSquaredError(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int width, int height, PixelBox box, bool inside, ref double sum, ref long count)
    {
        for (var y = 0; y < height; y++)
        {
            if (inside && (y < box.Top || y > box.Bottom))
            {
                continue;
            }

            for (var x = 0; x < width; x++)
            {
                if (box.Contains(x, y) != inside)
                {
                    continue;
                }

                var d = a[(y * width) + x] - b[(y * width) + x];
                sum += d * d;
                count++;
            }
        }
    }

    public static double Psnr(double squaredSum, long count) =>
        count == 0 ? double.NaN : squaredSum <= 1e-12 * count ? 99 : 10 * Math.Log10(255.0 * 255.0 * count / squaredSum);
}
