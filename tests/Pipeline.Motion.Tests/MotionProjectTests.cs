using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Tests;

public sealed class MotionProjectTests
{
    [Fact]
    public void The_canonical_face_has_unit_inter_ocular_distance() =>
        Assert.Equal(1.0, Landmarks68.InterOcular(CanonicalFace.Points), 3);
}
