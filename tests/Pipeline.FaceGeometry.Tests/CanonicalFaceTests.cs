using Pipeline.FaceGeometry;

namespace Pipeline.FaceGeometry.Tests;

public sealed class CanonicalFaceTests
{
    private static float X(int i) => CanonicalFace.Points[2 * i];

    private static float Y(int i) => CanonicalFace.Points[2 * i + 1];

    [Fact]
    public void HasUnitInterOcularDistanceAndTheEyeMidpointAtTheOrigin()
    {
        Assert.Equal(Landmarks68.FloatCount, CanonicalFace.Points.Length);
        Assert.Equal(1f, Landmarks68.InterOcular(CanonicalFace.Points), 1e-5f);
        Assert.Equal(0f, X(36) + X(45), 1e-5f);
        Assert.Equal(0f, Y(36) + Y(45), 1e-5f);
        Assert.Equal(0f, Y(36) - Y(45), 1e-5f); // level: the eye line is the x axis
    }

    [Fact]
    public void IsLeftRightSymmetric()
    {
        var mirror = Landmarks68.Mirror;
        for (var i = 0; i < Landmarks68.PointCount; i++)
        {
            var j = mirror[i];
            Assert.Equal(i, mirror[j]);
            Assert.True(Math.Abs(X(i) + X(j)) < 1e-3, $"x of {i} and {j}: {X(i)} vs {X(j)}");
            Assert.True(Math.Abs(Y(i) - Y(j)) < 1e-3, $"y of {i} and {j}: {Y(i)} vs {Y(j)}");
        }
    }

    [Fact]
    public void RightSideIsOnTheImageLeft()
    {
        Assert.True(X(Landmarks68.RightEyeOuter) < X(Landmarks68.LeftEyeOuter));
        Assert.True(X(Landmarks68.MouthRight) < X(Landmarks68.MouthLeft));
        Assert.True(X(Landmarks68.JawRight) < X(Landmarks68.JawLeft));
    }

    [Fact]
    public void FeaturesAreInTheirVerticalOrder()
    {
        var brows = Mean(Landmarks68.Brows);
        var eyes = Mean(Landmarks68.Eyes);
        var nose = Y(Landmarks68.NoseTip);
        var mouth = Mean(Landmarks68.Mouth);
        var chin = Y(Landmarks68.Chin);
        Assert.True(brows < eyes, $"brows {brows} above eyes {eyes}");
        Assert.True(eyes < nose, $"eyes {eyes} above nose tip {nose}");
        Assert.True(nose < Y(Landmarks68.Subnasale));
        Assert.True(Y(Landmarks68.Subnasale) < Y(Landmarks68.UpperLipTop));
        Assert.True(nose < mouth, $"nose tip {nose} above mouth {mouth}");
        Assert.True(Y(Landmarks68.LowerLipBottom) < chin, $"lower lip above chin {chin}");

        // Proportions of an adult face, in inter-ocular units.
        Assert.InRange(chin, 1.1f, 1.5f);
        Assert.InRange(X(Landmarks68.MouthLeft) - X(Landmarks68.MouthRight), 0.5f, 0.8f);
        Assert.InRange(X(Landmarks68.LeftEyeInner) - X(Landmarks68.RightEyeInner), 0.3f, 0.5f);
    }

    [Fact]
    public void NormaliseUndoesAPlacementAndReturnsTheMapBack()
    {
        var placement = SimilarityTransform.FromScaleRotation(143, -0.21, 640, 360);
        var face = Faces.CanonicalIn(placement);
        // Speech moves the mouth and jaw; alignment must not follow them.
        for (var i = 4; i <= 12; i++)
        {
            face[2 * i + 1] += 30;
        }

        for (var i = Landmarks68.Mouth.Start; i < Landmarks68.Mouth.End; i++)
        {
            face[2 * i + 1] += 20;
        }

        var normalised = new float[Landmarks68.FloatCount];
        var toCanonical = CanonicalFace.Normalise(face, normalised);

        Assert.Equal(1 / 143.0, toCanonical.Scale, 1e-6);
        Assert.Equal(0.21, toCanonical.RotationRadians, 1e-5);
        foreach (var i in CanonicalFace.StableIndices)
        {
            Assert.Equal(CanonicalFace.Points[2 * i], normalised[2 * i], 1e-4f);
            Assert.Equal(CanonicalFace.Points[2 * i + 1], normalised[2 * i + 1], 1e-4f);
        }

        // The mouth arrives moved (by its 20 px over the scale), along the face's own vertical.
        var drop = (normalised[2 * Landmarks68.InnerLowerLipCenter + 1] - CanonicalFace.Points[2 * Landmarks68.InnerLowerLipCenter + 1]) * 143;
        Assert.Equal(20 * Math.Cos(0.21), drop, 0.05);

        var back = new float[Landmarks68.FloatCount];
        toCanonical.Inverse().Apply(normalised, back);
        for (var i = 0; i < back.Length; i++)
        {
            Assert.Equal(face[i], back[i], 1e-3f);
        }
    }

    [Fact]
    public void NormaliseAllocatesNothing()
    {
        var face = Faces.CanonicalIn(SimilarityTransform.FromScaleRotation(90, 0.1, 300, 200));
        var normalised = new float[Landmarks68.FloatCount];
        CanonicalFace.Normalise(face, normalised);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            CanonicalFace.Normalise(face, normalised);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void StableWeightsMarkExactlyTheStableIndices()
    {
        var weights = CanonicalFace.StableWeights;
        Assert.Equal(Landmarks68.PointCount, weights.Length);
        var stable = CanonicalFace.StableIndices.ToArray();
        for (var i = 0; i < weights.Length; i++)
        {
            Assert.Equal(stable.Contains((byte)i) ? 1f : 0f, weights[i]);
        }

        Assert.DoesNotContain(stable, i => Landmarks68.Mouth.Contains(i) || Landmarks68.Jaw.Contains(i));
    }

    private static float Mean(LandmarkRange range)
    {
        var sum = 0f;
        for (var i = range.Start; i < range.End; i++)
        {
            sum += Y(i);
        }

        return sum / range.Count;
    }
}
