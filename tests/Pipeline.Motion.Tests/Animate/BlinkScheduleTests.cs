using Pipeline.Motion.Animate;

namespace Pipeline.Motion.Tests.Animate;

public sealed class BlinkScheduleTests
{
    private const double Fps = 25;
    private const int TenMinutes = 15000;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(31337)]
    public void Blinks_at_the_requested_rate_with_a_refractory_gap(int seed)
    {
        var onsets = Onsets(BlinkSchedule.Generate(TenMinutes, Fps, seed));
        var perMinute = onsets.Count / 10.0;
        Assert.InRange(perMinute, 0.75 * 17, 1.25 * 17);
        for (var i = 1; i < onsets.Count; i++)
        {
            Assert.True((onsets[i] - onsets[i - 1]) / Fps >= BlinkSchedule.MinGapSeconds, $"onsets {onsets[i - 1]} and {onsets[i]}");
        }
    }

    [Fact]
    public void Follows_other_rates_too()
    {
        var onsets = Onsets(BlinkSchedule.Generate(TenMinutes, Fps, 4, blinksPerMinute: 8));
        Assert.InRange(onsets.Count / 10.0, 0.75 * 8, 1.25 * 8);
        Assert.All(BlinkSchedule.Generate(TenMinutes, Fps, 4, blinksPerMinute: 0), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(25)]
    [InlineData(30)]
    [InlineData(59.94)]
    public void Every_blink_closes_fully_and_stays_in_range(double fps)
    {
        var frames = (int)(120 * fps);
        var closure = BlinkSchedule.Generate(frames, fps, 8);
        Assert.All(closure, v => Assert.InRange(v, 0f, 1f));
        var onsets = Onsets(closure);
        Assert.NotEmpty(onsets);
        var duration = (int)Math.Ceiling(0.25 * fps) + 1;
        foreach (var onset in onsets.Where(o => o + duration < frames))
        {
            var peak = closure.AsSpan(onset, duration).ToArray().Max();
            Assert.Equal(1f, peak);
        }
    }

    [Fact]
    public void Closes_faster_than_it_opens()
    {
        const double fps = 200; // fine enough to time both halves
        var closure = BlinkSchedule.Generate(60 * 200, fps, 11);
        var onset = Onsets(closure)[0] - 1; // the last open frame
        var closed = onset;
        while (closure[closed] < 1f)
        {
            closed++;
        }

        var open = closed;
        while (closure[open] > 0f)
        {
            open++;
        }

        var closing = (closed - onset) / fps;
        var opening = (open - closed) / fps;
        Assert.Equal(0.25, closing + opening, 0.02);
        Assert.Equal(BlinkSchedule.CloseFraction * 0.25, closing, 0.01);
        Assert.True(opening > 1.3 * closing, $"closing {closing} s, opening {opening} s");
    }

    [Fact]
    public void The_same_seed_gives_the_same_blinks_and_another_seed_others()
    {
        Assert.Equal(BlinkSchedule.Generate(TenMinutes, Fps, 3), BlinkSchedule.Generate(TenMinutes, Fps, 3));
        Assert.NotEqual(BlinkSchedule.Generate(TenMinutes, Fps, 3), BlinkSchedule.Generate(TenMinutes, Fps, 4));
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BlinkSchedule.Generate(10, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlinkSchedule.Generate(10, Fps, 0, blinksPerMinute: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlinkSchedule.Generate(10, Fps, 0, durationSeconds: 0));
        Assert.Empty(BlinkSchedule.Generate(0, Fps, 0));
    }

    /// <summary>Frames where the lid starts to move: the first non-zero frame after an open one.</summary>
    internal static List<int> Onsets(ReadOnlySpan<float> closure)
    {
        var onsets = new List<int>();
        for (var f = 0; f < closure.Length; f++)
        {
            if (closure[f] > 0f && (f == 0 || closure[f - 1] == 0f))
            {
                onsets.Add(f);
            }
        }

        return onsets;
    }
}
