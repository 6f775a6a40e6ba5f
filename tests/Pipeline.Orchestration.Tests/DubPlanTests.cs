using Pipeline.Api.Orchestration;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Orchestration.Tests;

/// <summary>The dub job's DAG under each length policy.</summary>
public sealed class DubPlanTests
{
    [Theory]
    [InlineData(LengthPolicy.Loop)]
    [InlineData(LengthPolicy.Bounce)]
    [InlineData(LengthPolicy.Hold)]
    public void Policies_that_can_outlast_the_video_extend_it_before_any_face_is_tracked(LengthPolicy policy)
    {
        var plan = JobPlanner.Plan(Jobs.Dub(policy)).ToDictionary(n => n.Name);

        Assert.Equal(["ingest", "prepare-audio"], plan["prepare-video"].DependsOn); // it extends to the prepared speech's length
        Assert.Equal(["prepare-video"], plan["track"].DependsOn);
        Assert.Equal(["track"], plan["exemplar-bank"].DependsOn);
    }

    [Theory]
    [InlineData(LengthPolicy.Cut)]
    [InlineData(LengthPolicy.Pad)]
    public void Policies_that_end_with_the_video_or_sooner_track_it_as_it_is(LengthPolicy policy)
    {
        var plan = JobPlanner.Plan(Jobs.Dub(policy)).ToDictionary(n => n.Name);

        Assert.DoesNotContain("prepare-video", plan.Keys);
        Assert.Equal(["ingest"], plan["track"].DependsOn);
    }
}
