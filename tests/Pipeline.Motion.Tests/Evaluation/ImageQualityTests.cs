using Pipeline.Motion.Evaluation;

namespace Pipeline.Motion.Tests.Evaluation;

public sealed class ImageQualityTests
{
    private const int W = 40;
    private const int H = 30;

    private static float[] Texture(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, W * H).Select(_ => (float)random.Next(40, 200)).ToArray();
    }

    [Fact]
    public void Identical_images_score_ssim_one_and_the_psnr_ceiling()
    {
        var a = Texture(1);
        var box = new PixelBox(0, 0, W - 1, H - 1);
        Assert.Equal(1.0, ImageQuality.Ssim(a, a, W, box), 9);
        double sum = 0;
        long count = 0;
        ImageQuality.AddSquaredError(a, a, W, H, box, inside: true, ref sum, ref count);
        Assert.Equal(W * H, count);
        Assert.Equal(99, ImageQuality.Psnr(sum, count));
    }

    [Fact]
    public void A_uniform_error_of_d_levels_gives_the_textbook_psnr_inside_and_nothing_outside()
    {
        var a = Texture(2);
        var b = a.Select(v => v + 5f).ToArray();
        var box = new PixelBox(5, 5, 14, 14);
        double inside = 0, outside = 0;
        long nIn = 0, nOut = 0;
        ImageQuality.AddSquaredError(a, b, W, H, box, inside: true, ref inside, ref nIn);
        ImageQuality.AddSquaredError(a, b, W, H, box, inside: false, ref outside, ref nOut);

        Assert.Equal((100L, (long)(W * H) - 100), (nIn, nOut));
        Assert.Equal(10 * Math.Log10(255.0 * 255.0 / 25.0), ImageQuality.Psnr(inside, nIn), 9);
    }

    [Fact]
    public void Ssim_falls_with_structure_lost_and_ignores_a_box_too_small_for_a_window()
    {
        var a = Texture(3);
        var flat = Enumerable.Repeat(120f, W * H).ToArray();
        var box = new PixelBox(0, 0, W - 1, H - 1);

        Assert.InRange(ImageQuality.Ssim(a, flat, W, box), -0.1, 0.1);
        Assert.True(double.IsNaN(ImageQuality.Ssim(a, a, W, new PixelBox(0, 0, 5, 5))));
    }

    [Fact]
    public void Luma_weights_are_bt601()
    {
        var luma = new float[2];
        ImageQuality.Luma([255, 0, 0, 0, 0, 255], luma);
        Assert.Equal(0.299f * 255, luma[0], 3);
        Assert.Equal(0.114f * 255, luma[1], 3);
    }
}
