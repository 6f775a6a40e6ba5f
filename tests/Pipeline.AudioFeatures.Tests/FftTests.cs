using Pipeline.AudioFeatures.Dsp;

namespace Pipeline.AudioFeatures.Tests;

public sealed class FftTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(30)]
    [InlineData(512)]
    [InlineData(800)]
    [InlineData(1024)]
    public void Matches_a_naive_dft(int size)
    {
        var random = new Random(size);
        var re = Enumerable.Range(0, size).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var im = Enumerable.Range(0, size).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var (expectedRe, expectedIm) = (new double[size], new double[size]);
        for (var k = 0; k < size; k++)
        {
            for (var n = 0; n < size; n++)
            {
                var angle = -2 * Math.PI * ((long)k * n % size) / size;
                expectedRe[k] += (re[n] * Math.Cos(angle)) - (im[n] * Math.Sin(angle));
                expectedIm[k] += (re[n] * Math.Sin(angle)) + (im[n] * Math.Cos(angle));
            }
        }

        new Fft(size).Forward(re, im);

        var tolerance = 1e-5 * size;
        for (var k = 0; k < size; k++)
        {
            Assert.Equal(expectedRe[k], re[k], tolerance);
            Assert.Equal(expectedIm[k], im[k], tolerance);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(512)]
    [InlineData(800)]
    public void The_real_fft_matches_a_naive_dft(int size)
    {
        var random = new Random(size);
        var x = Enumerable.Range(0, size).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var re = new float[(size / 2) + 1];
        var im = new float[(size / 2) + 1];

        new RealFft(size).Forward(x, re, im);

        var tolerance = 1e-5 * size;
        for (var k = 0; k <= size / 2; k++)
        {
            double expectedRe = 0, expectedIm = 0;
            for (var n = 0; n < size; n++)
            {
                var angle = -2 * Math.PI * ((long)k * n % size) / size;
                expectedRe += x[n] * Math.Cos(angle);
                expectedIm += x[n] * Math.Sin(angle);
            }

            Assert.Equal(expectedRe, re[k], tolerance);
            Assert.Equal(expectedIm, im[k], tolerance);
        }
    }
}
