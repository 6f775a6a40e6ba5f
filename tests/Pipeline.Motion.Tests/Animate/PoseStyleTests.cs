using Pipeline.Contracts.Jobs;
using Pipeline.Motion.Animate;

namespace Pipeline.Motion.Tests.Animate;

public sealed class PoseStyleTests
{
    [Theory]
    [InlineData("calm")]
    [InlineData("Neutral")]
    [InlineData(" LIVELY ")]
    public void Parse_finds_the_presets_whatever_the_case(string name) =>
        Assert.Equal(name.Trim().ToLowerInvariant(), PoseStyle.Parse(name).Name);

    [Fact]
    public void Parse_returns_the_preset_instances()
    {
        Assert.Same(PoseStyle.Calm, PoseStyle.Parse("calm"));
        Assert.Same(PoseStyle.Neutral, PoseStyle.Parse("neutral"));
        Assert.Same(PoseStyle.Lively, PoseStyle.Parse("lively"));
    }

    [Fact]
    public void The_job_default_style_is_a_preset() =>
        Assert.Same(PoseStyle.Neutral, PoseStyle.Parse(HeadMotion.Default.Style));

    [Fact]
    public void An_unknown_name_is_rejected_with_the_valid_names()
    {
        var e = Assert.Throws<ArgumentException>(() => PoseStyle.Parse("wild"));
        Assert.Contains("'wild'", e.Message, StringComparison.Ordinal);
        foreach (var name in PoseStyle.Names)
        {
            Assert.Contains(name, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Presets_grow_from_calm_to_lively()
    {
        PoseStyle[] order = [PoseStyle.Calm, PoseStyle.Neutral, PoseStyle.Lively];
        for (var i = 1; i < order.Length; i++)
        {
            var (a, b) = (order[i - 1], order[i]);
            Assert.True(a.YawSigmaDegrees < b.YawSigmaDegrees);
            Assert.True(a.PitchSigmaDegrees < b.PitchSigmaDegrees);
            Assert.True(a.RollSigmaDegrees < b.RollSigmaDegrees);
            Assert.True(a.SwaySigma < b.SwaySigma);
            Assert.True(a.EnergyGain < b.EnergyGain);
            Assert.True(a.BandHighHz <= b.BandHighHz);
        }
    }
}
