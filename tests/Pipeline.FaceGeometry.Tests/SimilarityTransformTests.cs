using Pipeline.FaceGeometry;

namespace Pipeline.FaceGeometry.Tests;

public sealed class SimilarityTransformTests
{
    private static readonly SimilarityTransform Known = SimilarityTransform.FromScaleRotation(1.7, 0.6, 312.5, -48.25);

    [Fact]
    public void RecoversAKnownTransformExactly()
    {
        var from = CanonicalFace.Points.ToArray();
        var to = new float[from.Length];
        Known.Apply(from, to);

        var estimated = SimilarityTransform.Estimate(from, to);

        Assert.Equal(1.7, estimated.Scale, 1e-4);
        Assert.Equal(0.6, estimated.RotationRadians, 1e-4);
        Assert.Equal(312.5, estimated.Tx, 1e-4);
        Assert.Equal(-48.25, estimated.Ty, 1e-4);
    }

    [Fact]
    public void RecoversAKnownTransformFromNoisyPoints()
    {
        var from = CanonicalFace.Points.ToArray();
        var to = new float[from.Length];
        Known.Apply(from, to);
        Faces.AddNoise(to, 0.01, new Random(11)); // 0.01 against a face ~2.3 units across after scaling

        var estimated = SimilarityTransform.Estimate(from, to);

        Assert.Equal(1.7, estimated.Scale, 0.01);
        Assert.Equal(0.6, estimated.RotationRadians, 0.01);
        Assert.Equal(312.5, estimated.Tx, 0.01);
        Assert.Equal(-48.25, estimated.Ty, 0.01);
    }

    [Fact]
    public void ZeroWeightsLeavePointsOutAndWeightsPullTheFit()
    {
        var from = CanonicalFace.Points.ToArray();
        var to = new float[from.Length];
        Known.Apply(from, to);
        // Wreck the mouth: with the mouth weighted out, the fit must not notice.
        for (var i = Landmarks68.Mouth.Start; i < Landmarks68.Mouth.End; i++)
        {
            to[2 * i] += 25f;
            to[2 * i + 1] -= 40f;
        }

        var weights = new float[Landmarks68.PointCount];
        Array.Fill(weights, 1f);
        for (var i = Landmarks68.Mouth.Start; i < Landmarks68.Mouth.End; i++)
        {
            weights[i] = 0f;
        }

        var robust = SimilarityTransform.Estimate(from, to, weights);
        var naive = SimilarityTransform.Estimate(from, to);

        Assert.Equal(Known.A, robust.A, 1e-4);
        Assert.Equal(Known.B, robust.B, 1e-4);
        Assert.Equal(Known.Tx, robust.Tx, 1e-4);
        Assert.Equal(Known.Ty, robust.Ty, 1e-4);
        Assert.True(Math.Abs(naive.Tx - Known.Tx) > 1, "unweighted, the wrecked mouth should pull the fit");

        // A heavier weight on one half drags the fit towards that half's (shifted) solution.
        var shifted = (float[])to.Clone();
        for (var i = 0; i < Landmarks68.PointCount; i++)
        {
            shifted[2 * i] = to[2 * i] + (i % 2 == 0 ? 10f : 0f);
        }

        var even = new float[Landmarks68.PointCount];
        for (var i = 0; i < even.Length; i++)
        {
            even[i] = i % 2 == 0 ? 100f : 1f;
        }

        var pulled = SimilarityTransform.Estimate(from, shifted, even);
        var evenOnly = new float[Landmarks68.PointCount];
        for (var i = 0; i < evenOnly.Length; i += 2)
        {
            evenOnly[i] = 1f;
        }

        var target = SimilarityTransform.Estimate(from, shifted, evenOnly);
        var unweighted = SimilarityTransform.Estimate(from, shifted);
        Assert.True(Math.Abs(pulled.Tx - target.Tx) < Math.Abs(unweighted.Tx - target.Tx) / 10);
    }

    [Fact]
    public void NeverReturnsAReflection()
    {
        var from = CanonicalFace.Points.ToArray();
        var mirrored = (float[])from.Clone();
        for (var i = 0; i < mirrored.Length; i += 2)
        {
            mirrored[i] = -mirrored[i];
        }

        var t = SimilarityTransform.Estimate(from, mirrored);
        Span<double> m = stackalloc double[6];
        t.WriteMatrix(m);
        Assert.True(m[0] * m[4] - m[1] * m[3] >= 0);
    }

    [Fact]
    public void InverseAndComposeRoundTrip()
    {
        var other = SimilarityTransform.FromScaleRotation(0.4, -1.1, -7, 19);
        var p = (X: 3.25, Y: -8.5);

        var (x1, y1) = Known.Apply(p.X, p.Y);
        var (x2, y2) = other.Apply(x1, y1);
        var (cx, cy) = SimilarityTransform.Compose(other, Known).Apply(p.X, p.Y);
        Assert.Equal(x2, cx, 1e-9);
        Assert.Equal(y2, cy, 1e-9);
        Assert.Equal(SimilarityTransform.Compose(other, Known), Known.Then(other));

        var (bx, by) = Known.Inverse().Apply(x1, y1);
        Assert.Equal(p.X, bx, 1e-9);
        Assert.Equal(p.Y, by, 1e-9);

        var identity = Known.Then(Known.Inverse());
        Assert.Equal(1, identity.A, 1e-12);
        Assert.Equal(0, identity.B, 1e-12);
        Assert.Equal(0, identity.Tx, 1e-9);
        Assert.Equal(0, identity.Ty, 1e-9);
    }

    [Fact]
    public void MatrixMatchesApply()
    {
        var m = Known.ToMatrix();
        var (x, y) = Known.Apply(2, 5);
        Assert.Equal(x, m[0, 0] * 2 + m[0, 1] * 5 + m[0, 2], 1e-12);
        Assert.Equal(y, m[1, 0] * 2 + m[1, 1] * 5 + m[1, 2], 1e-12);
        Assert.Equal((Known.M00, Known.M01, Known.M02, Known.M10, Known.M11, Known.M12), (m[0, 0], m[0, 1], m[0, 2], m[1, 0], m[1, 1], m[1, 2]));
    }

    [Fact]
    public void ApplyWorksInPlace()
    {
        var points = CanonicalFace.Points.ToArray();
        var copy = new float[points.Length];
        Known.Apply(points, copy);
        Known.Apply(points, points);
        Assert.Equal(copy, points);
    }

    [Fact]
    public void DegenerateInputIsRefused()
    {
        var same = new float[] { 1, 1, 1, 1, 1, 1 };
        Assert.Throws<ArgumentException>(() => SimilarityTransform.Estimate(same, same));
        Assert.False(SimilarityTransform.TryEstimate(same, same, default, out _));
        Assert.Throws<ArgumentException>(() => SimilarityTransform.Estimate(new float[4], new float[6]));
        Assert.Throws<ArgumentException>(() => SimilarityTransform.Estimate(new float[] { 0, 0, 1, 0 }, new float[] { 0, 0, 1, 0 }, new float[] { 1, -1 }));
    }
}
