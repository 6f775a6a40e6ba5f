using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

public sealed class TemporalSmoothingTests
{
    [Theory]
    [InlineData(CoefficientSmoothing.None)]
    [InlineData(CoefficientSmoothing.ThreeTap)]
    [InlineData(CoefficientSmoothing.OneEuro)]
    public void Constants_pass_unchanged(CoefficientSmoothing kind)
    {
        var series = Enumerable.Repeat(0.25f, 40 * 3).ToArray();
        TemporalSmoothing.Apply(kind, series, 40, 3, 25);
        Assert.All(series, v => Assert.Equal(0.25f, v, 1e-6f));
    }

    [Fact]
    public void Three_tap_is_the_centred_quarter_half_quarter_kernel()
    {
        float[] series = [0, 0, 4, 0, 0, 8];
        TemporalSmoothing.ThreeTap(series, 6, 1);
        Assert.Equal([0f, 1f, 2f, 1f, 2f, 6f], series);
    }

    [Fact]
    public void Exponential_smoothing_is_symmetric_so_it_does_not_shift_events()
    {
        var series = new float[41];
        series[20] = 1;
        TemporalSmoothing.Exponential(series, 41, 1, 25, 0.06);
        for (var k = 1; k < 10; k++)
        {
            Assert.Equal(series[20 - k], series[20 + k], 1e-6f);
            Assert.True(series[20 + k] < series[20 + k - 1]);
        }

        Assert.Equal(1.0, series.Sum(v => (double)v), 1e-5);
    }
}
