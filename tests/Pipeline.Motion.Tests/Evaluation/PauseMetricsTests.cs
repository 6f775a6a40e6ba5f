using Pipeline.Motion.Evaluation;

namespace Pipeline.Motion.Tests.Evaluation;

public sealed class PauseMetricsTests
{
    private const double Fps = 25;

    [Fact]
    public void TheRatioIsPauseMedianOverSpeechMedian()
    {
        // speech (2 s) | pause (1 s) | speech (2 s) | a 0.12 s gap | speech (1 s)
        var vad = new List<byte>();
        var opening = new List<double>();
        Add(vad, opening, 50, 1, f => f % 2 == 0 ? 0.3 : 0.5); // median 0.4
        Add(vad, opening, 25, 0, f => f is < 2 or >= 23 ? 0.9 : 0.1); // edges (0.1 s each side) excluded
        Add(vad, opening, 50, 1, f => f % 2 == 0 ? 0.3 : 0.5);
        Add(vad, opening, 3, 0, _ => 5.0); // too short to be a pause, and not speech either
        Add(vad, opening, 25, 1, _ => 0.4);

        var ratio = PauseMetrics.PauseOpeningRatio(opening.ToArray(), vad.ToArray(), vad.Count, Fps);

        Assert.Equal(0.25, ratio, 9);
    }

    [Fact]
    public void AShortestPauseKeepsItsCentreFrame()
    {
        // A 0.2 s pause at 25 fps is 5 frames; only the middle one is 0.1 s from both ends.
        var vad = new List<byte>();
        var opening = new List<double>();
        Add(vad, opening, 20, 1, _ => 0.5);
        Add(vad, opening, 5, 0, f => f == 2 ? 0.05 : 0.9);
        Add(vad, opening, 20, 1, _ => 0.5);

        Assert.Equal(0.1, PauseMetrics.PauseOpeningRatio(opening.ToArray(), vad.ToArray(), vad.Count, Fps), 9);
    }

    [Fact]
    public void NoPauseIsNaN()
    {
        var vad = Enumerable.Repeat((byte)1, 100).ToArray();
        vad[50] = vad[51] = vad[52] = 0;
        var opening = Enumerable.Repeat(0.3, 100).ToArray();

        Assert.True(double.IsNaN(PauseMetrics.PauseOpeningRatio(opening, vad, 100, Fps)));
    }

    [Fact]
    public void FramesWithoutAFaceAreSkipped()
    {
        var vad = new List<byte>();
        var opening = new List<double>();
        Add(vad, opening, 30, 1, f => f < 10 ? double.NaN : 0.4);
        Add(vad, opening, 30, 0, f => f is > 10 and < 15 ? double.NaN : 0.2);

        Assert.Equal(0.5, PauseMetrics.PauseOpeningRatio(opening.ToArray(), vad.ToArray(), vad.Count, Fps), 9);
    }

    private static void Add(List<byte> vad, List<double> opening, int frames, byte active, Func<int, double> value)
    {
        for (var f = 0; f < frames; f++)
        {
            vad.Add(active);
            opening.Add(value(f));
        }
    }
}
