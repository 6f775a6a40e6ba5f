using Pipeline.FaceGeometry;

namespace Pipeline.FaceGeometry.Tests;

public sealed class Landmarks68Tests
{
    /// <summary>
    /// A face drawn by hand on a 60 px eye line: outer eye corners at (100, 200) and (160, 200), inner
    /// lips open by 12, 18 and 12 px at the three pairs (mean 14 px = 0.2333 of the inter-ocular distance).
    /// </summary>
    private static float[] HandBuiltFace()
    {
        var face = Faces.CanonicalIn(SimilarityTransform.FromScaleRotation(60, 0, 130, 200));
        Set(face, 36, 100, 200);
        Set(face, 45, 160, 200);
        Set(face, 61, 122, 246);
        Set(face, 62, 130, 245);
        Set(face, 63, 138, 246);
        Set(face, 65, 138, 258);
        Set(face, 66, 130, 263);
        Set(face, 67, 122, 258);
        return face;
    }

    [Fact]
    public void InterOcularIsTheOuterEyeCornerDistance()
    {
        var face = HandBuiltFace();
        Assert.Equal(60f, Landmarks68.InterOcular(face), 1e-4f);
        Set(face, 45, 148, 216); // a tilted eye line: 48 across, 16 down
        Assert.Equal(MathF.Sqrt(2560), Landmarks68.InterOcular(face), 1e-4f);
    }

    [Fact]
    public void MouthOpeningIsTheMeanInnerLipGapOverInterOcular()
    {
        var face = HandBuiltFace();
        Assert.Equal(14f / 60f, Landmarks68.MouthOpening(face), 1e-5f);
    }

    [Fact]
    public void MouthOpeningIgnoresRollAndScale()
    {
        var face = HandBuiltFace();
        var turned = new float[face.Length];
        SimilarityTransform.FromScaleRotation(2.5, 0.5, -40, 90).Apply(face, turned);
        Assert.Equal(14f / 60f, Landmarks68.MouthOpening(turned), 1e-5f);
    }

    [Fact]
    public void ClosedAndOverlappingLipsReadZeroAndNegative()
    {
        var face = HandBuiltFace();
        Set(face, 65, 138, 246);
        Set(face, 66, 130, 245);
        Set(face, 67, 122, 246);
        Assert.Equal(0f, Landmarks68.MouthOpening(face), 1e-6f);
        Set(face, 66, 130, 242);
        Assert.True(Landmarks68.MouthOpening(face) < 0);
    }

    [Fact]
    public void BoundsCoverEveryPoint()
    {
        var face = HandBuiltFace();
        var b = Landmarks68.Bounds(face);
        for (var i = 0; i < face.Length; i += 2)
        {
            Assert.InRange(face[i], b.MinX, b.MaxX);
            Assert.InRange(face[i + 1], b.MinY, b.MaxY);
        }

        Assert.Contains(b.MinX, face);
        Assert.Contains(b.MaxY, face);
        Assert.Equal(b.MaxX - b.MinX, b.Width);
        Assert.Equal(new PointBounds(1, 2, 5, 4), Landmarks68.Bounds([1, 4, 5, 2, 3, 3]));
    }

    [Fact]
    public void RangesTileTheLayout()
    {
        LandmarkRange[] parts =
        [
            Landmarks68.Jaw, Landmarks68.RightBrow, Landmarks68.LeftBrow, Landmarks68.NoseBridge, Landmarks68.NoseBase,
            Landmarks68.RightEye, Landmarks68.LeftEye, Landmarks68.OuterLip, Landmarks68.InnerLip,
        ];
        var next = 0;
        foreach (var part in parts)
        {
            Assert.Equal(next, part.Start);
            next = part.End;
        }

        Assert.Equal(Landmarks68.PointCount, next);
        Assert.Equal(new LandmarkRange(48, 20), Landmarks68.Mouth);
        Assert.Equal(96..136, Landmarks68.Mouth.Floats);
        Assert.Equal(2 * Landmarks68.InnerLip.Count, CanonicalFace.Points[Landmarks68.InnerLip.Floats].Length);
    }

    [Fact]
    public void ShortSpansAreRefused() =>
        Assert.Throws<ArgumentException>(() => Landmarks68.InterOcular(new float[10]));

    private static void Set(float[] face, int i, float x, float y)
    {
        face[2 * i] = x;
        face[2 * i + 1] = y;
    }
}
