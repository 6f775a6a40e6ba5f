using Pipeline.FaceGeometry;
using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

public sealed class SpeechPointsTests
{
    [Fact]
    public void Indices_are_the_lower_jaw_and_the_mouth()
    {
        Assert.Equal(SpeechPoints.Count, SpeechPoints.Indices.Length);
        Assert.Equal([4, 5, 6, 7, 8, 9, 10, 11, 12, .. Enumerable.Range(48, 20)], SpeechPoints.Indices.ToArray());
        for (var s = 0; s < SpeechPoints.Count; s++)
        {
            Assert.Equal(s, SpeechPoints.Slot(SpeechPoints.Indices[s]));
            Assert.True(OneEuroParameters.IsSpeechDriven(SpeechPoints.Indices[s]));
        }

        Assert.Equal(-1, SpeechPoints.Slot(30));
    }

    [Fact]
    public void Gather_then_scatter_round_trips_and_leaves_other_points_alone()
    {
        var face = CanonicalFace.Points.ToArray();
        var speech = new float[58];
        SpeechPoints.Gather(face, speech);
        Assert.Equal(face[2 * 57 + 1], speech[2 * SpeechPoints.Slot(57) + 1]);

        for (var j = 0; j < speech.Length; j++)
        {
            speech[j] += 1f;
        }

        var target = CanonicalFace.Points.ToArray();
        SpeechPoints.Scatter(speech, target);
        for (var p = 0; p < 68; p++)
        {
            var moved = SpeechPoints.Slot(p) >= 0;
            Assert.Equal(face[2 * p] + (moved ? 1f : 0f), target[2 * p]);
            Assert.Equal(face[2 * p + 1] + (moved ? 1f : 0f), target[2 * p + 1]);
        }
    }

    [Fact]
    public void CloseLips_seals_each_inner_pair_at_its_midpoint_and_leaves_the_rest()
    {
        var shape = SpeechPoints.Canonical();
        var lower = 2 * SpeechPoints.Slot(66);
        var upper = 2 * SpeechPoints.Slot(62);
        shape[lower + 1] += 0.1f;
        var before = (float[])shape.Clone();
        var mid = 0.5f * (shape[upper + 1] + shape[lower + 1]);

        SpeechPoints.CloseLips(shape);

        Assert.Equal(mid, shape[upper + 1]);
        Assert.Equal(mid, shape[lower + 1]);
        var outer = 2 * SpeechPoints.Slot(57);
        Assert.Equal(before[outer + 1], shape[outer + 1]);
        Assert.Equal(before[0], shape[0]);
    }
}
