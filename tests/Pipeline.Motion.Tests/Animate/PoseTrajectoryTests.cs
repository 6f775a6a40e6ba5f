using Pipeline.Motion.Animate;

namespace Pipeline.Motion.Tests.Animate;

public sealed class PoseTrajectoryTests
{
    private const double Fps = 25;
    private const int Minute = 1500;

    [Fact]
    public void The_same_seed_gives_bit_identical_trajectories()
    {
        var energy = Syllables(Minute);
        Assert.Equal(PoseTrajectory.Generate(Minute, Fps, PoseStyle.Neutral, 42, []), PoseTrajectory.Generate(Minute, Fps, PoseStyle.Neutral, 42, []));
        Assert.Equal(PoseTrajectory.Generate(Minute, Fps, PoseStyle.Lively, -7, energy), PoseTrajectory.Generate(Minute, Fps, PoseStyle.Lively, -7, energy));
    }

    [Fact]
    public void Has_six_channels_per_frame_and_handles_no_frames()
    {
        Assert.Equal(10 * PoseTrajectory.Channels, PoseTrajectory.Generate(10, Fps, PoseStyle.Neutral, 1, []).Length);
        Assert.Empty(PoseTrajectory.Generate(0, Fps, PoseStyle.Neutral, 1, []));
    }

    [Theory]
    [InlineData("calm")]
    [InlineData("neutral")]
    [InlineData("lively")]
    public void Different_seeds_differ_in_shape_but_keep_the_style_deviation(string name)
    {
        var style = PoseStyle.Parse(name);
        int[] seeds = [0, 1, 2, 3, 12345, -99];
        var trajectories = seeds.Select(s => PoseTrajectory.Generate(Minute, Fps, style, s, [])).ToArray();
        for (var i = 1; i < trajectories.Length; i++)
        {
            Assert.NotEqual(trajectories[0], trajectories[i]);
        }

        for (var c = 0; c < PoseTrajectory.Channels; c++)
        {
            var expected = Trajectories.StyleSigma(style, c);
            var sigmas = trajectories.Select(t => Trajectories.StandardDeviation(t, c)).ToArray();
            foreach (var sigma in sigmas)
            {
                Assert.InRange(sigma, 0.65 * expected, 1.35 * expected);
            }

            Assert.True(sigmas.Max() <= 1.35 * sigmas.Min(), $"channel {c}: σ from {sigmas.Min()} to {sigmas.Max()}");
        }
    }

    [Theory]
    [InlineData(PoseTrajectory.Yaw)]
    [InlineData(PoseTrajectory.Pitch)]
    [InlineData(PoseTrajectory.Roll)]
    [InlineData(PoseTrajectory.TranslationX)]
    public void Lively_moves_more_than_calm(int channel)
    {
        for (var seed = 0; seed < 5; seed++)
        {
            var calm = Trajectories.StandardDeviation(PoseTrajectory.Generate(Minute, Fps, PoseStyle.Calm, seed, []), channel);
            var lively = Trajectories.StandardDeviation(PoseTrajectory.Generate(Minute, Fps, PoseStyle.Lively, seed, []), channel);
            Assert.True(lively > 1.5 * calm, $"seed {seed}: lively {lively}, calm {calm}");
        }
    }

    [Fact]
    public void Speech_energy_raises_the_motion()
    {
        const int frames = 500; // 20 s
        for (var seed = 0; seed < 5; seed++)
        {
            var silent = PoseTrajectory.Generate(frames, Fps, PoseStyle.Neutral, seed, Trajectories.Constant(frames, -90f));
            var loud = PoseTrajectory.Generate(frames, Fps, PoseStyle.Neutral, seed, Trajectories.Constant(frames, -18f));
            var quiet = Trajectories.StandardDeviation(silent, PoseTrajectory.Yaw);
            var speaking = Trajectories.StandardDeviation(loud, PoseTrajectory.Yaw);
            Assert.True(speaking > 1.2 * quiet, $"seed {seed}: σ yaw {speaking} speaking, {quiet} silent");
        }
    }

    [Fact]
    public void Silence_moves_the_head_exactly_as_no_energy_at_all() =>
        Assert.Equal(
            PoseTrajectory.Generate(Minute, Fps, PoseStyle.Neutral, 5, []),
            PoseTrajectory.Generate(Minute, Fps, PoseStyle.Neutral, 5, Trajectories.Constant(Minute, float.NegativeInfinity)));

    [Fact]
    public void A_strong_syllable_onset_adds_a_small_downward_nod_and_nothing_else()
    {
        // Both clips are speech throughout (activity saturated), so only the onset differs: a dip to -30 dBFS and a
        // 15 dB rise back at frame 500.
        var steady = Trajectories.Constant(Minute, -15f);
        var onset = Trajectories.Constant(Minute, -15f);
        onset.AsSpan(497, 3).Fill(-30f);
        var style = PoseStyle.Neutral;
        var without = PoseTrajectory.Generate(Minute, Fps, style, 3, steady);
        var with = PoseTrajectory.Generate(Minute, Fps, style, 3, onset);

        var expectedPeak = PoseTrajectory.NodFraction * style.EnergyGain * style.PitchSigmaDegrees * (15.0 / SpeechEnergy.FullOnsetRiseDb);
        var reach = PoseTrajectory.NodSeconds / 2 * Fps;
        for (var f = 0; f < Minute; f++)
        {
            for (var c = 0; c < PoseTrajectory.Channels; c++)
            {
                var difference = with[f * PoseTrajectory.Channels + c] - without[f * PoseTrajectory.Channels + c];
                if (c != PoseTrajectory.Pitch || Math.Abs(f - 500) >= reach)
                {
                    Assert.Equal(0f, difference);
                }
                else
                {
                    Assert.InRange(difference, 0, expectedPeak + 1e-4);
                }
            }
        }

        var peak = with[500 * PoseTrajectory.Channels + PoseTrajectory.Pitch] - without[500 * PoseTrajectory.Channels + PoseTrajectory.Pitch];
        Assert.Equal(expectedPeak, peak, 1e-4);
        Assert.InRange(peak, 0.3, 1.0); // subtle: well under the style's 3° σ
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(77)]
    [InlineData(-12)]
    public void Starts_at_rest_and_moves_smoothly(int seed)
    {
        foreach (var energy in new[] { Array.Empty<float>(), Syllables(Minute) })
        {
            var t = PoseTrajectory.Generate(Minute, Fps, PoseStyle.Neutral, seed, energy);
            Assert.InRange(t[PoseTrajectory.Yaw], -1f, 1f);
            Assert.InRange(t[PoseTrajectory.Pitch], -1f, 1f);
            Assert.InRange(t[PoseTrajectory.Roll], -1f, 1f);
            Assert.InRange(t[PoseTrajectory.TranslationX], -0.01f, 0.01f);
            Assert.InRange(t[PoseTrajectory.TranslationY], -0.01f, 0.01f);
            Assert.InRange(t[PoseTrajectory.Scale], 0.999f, 1.001f);
            Assert.True(Trajectories.MaxStep(t, PoseTrajectory.Yaw) < 1, $"yaw step {Trajectories.MaxStep(t, PoseTrajectory.Yaw)}°");
        }
    }

    [Fact]
    public void The_motion_is_set_in_seconds_not_frames()
    {
        // The same seed at 50 fps passes through the 25 fps trajectory's values at every other frame.
        var at25 = PoseTrajectory.Generate(250, 25, PoseStyle.Neutral, 9, []);
        var at50 = PoseTrajectory.Generate(500, 50, PoseStyle.Neutral, 9, []);
        for (var f = 0; f < 250; f++)
        {
            for (var c = 0; c < PoseTrajectory.Channels; c++)
            {
                Assert.Equal(at25[f * PoseTrajectory.Channels + c], at50[2 * f * PoseTrajectory.Channels + c], 1e-4f);
            }
        }
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        Assert.Throws<ArgumentException>(() => PoseTrajectory.Generate(10, Fps, PoseStyle.Neutral, 0, new float[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoseTrajectory.Generate(10, 0, PoseStyle.Neutral, 0, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoseTrajectory.Generate(-1, Fps, PoseStyle.Neutral, 0, []));
        Assert.Throws<ArgumentException>(() => PoseTrajectory.Generate(10, Fps, PoseStyle.Neutral with { BandLowHz = 0 }, 0, []));
    }

    /// <summary>Speech-like energy: 4 syllables a second, -18 dBFS peaks, -45 dBFS gaps, with a pause every 3 s.</summary>
    private static float[] Syllables(int frames)
    {
        var energy = new float[frames];
        for (var f = 0; f < frames; f++)
        {
            var inPause = f / Fps % 3 > 2.4;
            energy[f] = !inPause && f % 6 < 4 ? -18f - f % 6 : -45f;
        }

        return energy;
    }
}
