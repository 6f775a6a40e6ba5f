using Pipeline.Api.Orchestration;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Orchestration.Tests;

/// <summary>The animate job's DAG and what it refuses at submit.</summary>
public sealed class AnimatePlanTests
{
    [Fact]
    public void A_photo_is_tracked_once_with_no_speech_of_its_own_and_no_bank()
    {
        var plan = JobPlanner.Plan(Jobs.Animate()).ToDictionary(n => n.Name);

        Assert.Equal(
            ["encoding/new-speech", "features/new-speech", "ingest", "motion", "mux", "prepare-audio", "render", "track"],
            plan.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["track", "encoding/new-speech"], plan["motion"].DependsOn);
        Assert.Equal(["motion"], plan["render"].DependsOn);
        Assert.Equal(["prepare-audio", "render"], plan["mux"].DependsOn);
        Assert.Equal(1.0, plan.Values.Sum(n => n.Weight), 6);
    }

    [Theory]
    [InlineData("exemplar", "neutral", "the exemplar backend needs the speaker's own footage")]
    [InlineData("onnx", "neutral", "the onnx backend redraws the mouth of video frames")]
    [InlineData("auto", "wild", "unknown pose style 'wild'")]
    public void What_a_photo_cannot_do_is_refused_with_a_reason(string backend, string style, string reason)
    {
        var problem = JobPlanner.Validate(Jobs.Animate(backend, style));

        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void An_animate_job_needs_a_photo_and_speech()
    {
        var spec = Jobs.Animate();

        Assert.Null(JobPlanner.Validate(spec));
        Assert.Contains("needs a photo", JobPlanner.Validate(spec with { Inputs = spec.Inputs with { Image = null } }));
        Assert.Contains("needs the speech", JobPlanner.Validate(spec with { Inputs = spec.Inputs with { Audio = null } }));
    }
}
