using Pipeline.FaceGeometry;
using Pipeline.Motion.Animate;

namespace Pipeline.Motion.Tests.Animate;

public sealed class FaceAnimatorTests
{
    private static readonly (int Upper, int Lower)[] LidPairs = [(37, 41), (38, 40), (43, 47), (44, 46)];

    private static float[] Faces(int frames)
    {
        var faces = new float[frames * Landmarks68.FloatCount];
        for (var f = 0; f < frames; f++)
        {
            CanonicalFace.Points.CopyTo(faces.AsSpan(f * Landmarks68.FloatCount));
        }

        return faces;
    }

    private static double Distance(ReadOnlySpan<float> face, int a, int b) =>
        Math.Sqrt(Math.Pow(face[2 * a] - face[2 * b], 2) + Math.Pow(face[2 * a + 1] - face[2 * b + 1], 2));

    [Fact]
    public void Full_closure_brings_the_lids_together_and_moves_nothing_else()
    {
        var faces = Faces(1);
        FaceAnimator.Apply(faces, 1, [1f]);
        foreach (var (upper, lower) in LidPairs)
        {
            Assert.True(Distance(faces, upper, lower) < 0.01, $"{upper}-{lower}: {Distance(faces, upper, lower)}");
            // Mostly the upper lid travels.
            Assert.True(faces[2 * upper + 1] - CanonicalFace.Points[2 * upper + 1] > 3 * (CanonicalFace.Points[2 * lower + 1] - faces[2 * lower + 1]));
        }

        for (var p = 0; p < Landmarks68.PointCount; p++)
        {
            if (!LidPairs.Any(pair => pair.Upper == p || pair.Lower == p))
            {
                Assert.Equal(CanonicalFace.Points[2 * p], faces[2 * p]);
                Assert.Equal(CanonicalFace.Points[2 * p + 1], faces[2 * p + 1]);
            }
        }
    }

    [Fact]
    public void No_closure_leaves_the_faces_bit_identical_and_half_closure_halves_the_gap()
    {
        var faces = Faces(3);
        FaceAnimator.Apply(faces, 3, [0f, 0.5f, float.NaN]);
        Assert.Equal(CanonicalFace.Points.ToArray(), faces.AsSpan(0, Landmarks68.FloatCount).ToArray());
        Assert.Equal(CanonicalFace.Points.ToArray(), faces.AsSpan(2 * Landmarks68.FloatCount, Landmarks68.FloatCount).ToArray());
        var half = faces.AsSpan(Landmarks68.FloatCount, Landmarks68.FloatCount);
        foreach (var (upper, lower) in LidPairs)
        {
            Assert.Equal(0.5 * Distance(CanonicalFace.Points, upper, lower), Distance(half, upper, lower), 1e-5);
        }
    }

    [Fact]
    public void Pose_at_rest_puts_the_eyes_where_asked_at_the_documented_size()
    {
        var image = new float[Landmarks68.FloatCount];
        const double faceWidth = 460, cx = 700, cy = 400;
        FaceAnimator.Pose(CanonicalFace.Points, Rest(), 1280, 720, faceWidth, cx, cy, image);
        var (ex, ey) = EyeMidpoint(image);
        Assert.Equal(cx, ex, 1.0);
        Assert.Equal(cy, ey, 1.0);
        Assert.Equal(faceWidth / FaceAnimator.FaceWidthInInterOculars, Landmarks68.InterOcular(image), 0.5);
        // Upright and the right way round: the subject's right eye on the image's left, the chin below the eyes.
        Assert.True(image[2 * Landmarks68.RightEyeOuter] < image[2 * Landmarks68.LeftEyeOuter]);
        Assert.True(image[2 * Landmarks68.Chin + 1] > ey + 100);
    }

    [Fact]
    public void Pose_follows_headpose_conventions()
    {
        var rest = Place(Rest());
        var nose = 2 * Landmarks68.NoseTip;

        var yawed = Place([20f, 0f, 0f, 0f, 0f, 1f]);
        Assert.True(yawed[nose] < rest[nose] - 10, $"yaw 20°: nose x {yawed[nose]} vs {rest[nose]}");

        var pitched = Place([0f, 15f, 0f, 0f, 0f, 1f]);
        Assert.True(pitched[nose + 1] > rest[nose + 1] + 5, "pitch > 0 nods down");

        var rolled = Place([0f, 0f, 10f, 0f, 0f, 1f]);
        Assert.True(rolled[2 * Landmarks68.LeftEyeOuter + 1] > rolled[2 * Landmarks68.RightEyeOuter + 1] + 10, "roll > 0 drops the image-right eye");
    }

    [Fact]
    public void Pose_applies_sway_and_scale()
    {
        var iod = 460 / FaceAnimator.FaceWidthInInterOculars;
        var moved = Place([0f, 0f, 0f, 0.1f, -0.05f, 1.1f]);
        var (ex, ey) = EyeMidpoint(moved);
        Assert.Equal(700 + 0.1 * iod, ex, 1.0);
        Assert.Equal(400 - 0.05 * iod, ey, 1.0);
        Assert.Equal(1.1 * iod, Landmarks68.InterOcular(moved), 0.5);
    }

    [Fact]
    public void Places_a_whole_animated_clip_without_allocating()
    {
        const int frames = 50;
        var faces = Faces(frames);
        var blink = BlinkSchedule.Generate(frames, 25, 1, blinksPerMinute: 60);
        var pose = PoseTrajectory.Generate(frames, 25, PoseStyle.Lively, 1, []);
        var image = new float[frames * Landmarks68.FloatCount];
        Run(); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        for (var f = 0; f < frames; f++)
        {
            var face = image.AsSpan(f * Landmarks68.FloatCount, Landmarks68.FloatCount);
            Assert.All(face.ToArray(), v => Assert.True(float.IsFinite(v)));
            Assert.InRange(Landmarks68.InterOcular(face), 150, 250);
        }

        void Run()
        {
            FaceAnimator.Apply(faces, frames, blink);
            for (var f = 0; f < frames; f++)
            {
                FaceAnimator.Pose(
                    faces.AsSpan(f * Landmarks68.FloatCount, Landmarks68.FloatCount),
                    pose.AsSpan(f * PoseTrajectory.Channels, PoseTrajectory.Channels),
                    1280, 720, 460, 640, 360,
                    image.AsSpan(f * Landmarks68.FloatCount, Landmarks68.FloatCount));
            }
        }
    }

    [Fact]
    public void Rejects_short_buffers()
    {
        Assert.Throws<ArgumentException>(() => FaceAnimator.Apply(new float[100], 1, [1f]));
        Assert.Throws<ArgumentException>(() => FaceAnimator.Apply(new float[136], 1, []));
        Assert.Throws<ArgumentException>(() => FaceAnimator.Pose(CanonicalFace.Points, new float[5], 640, 480, 200, 320, 240, new float[136]));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaceAnimator.Pose(CanonicalFace.Points, [0f, 0f, 0f, 0f, 0f, 0f], 640, 480, 200, 320, 240, new float[136]));
    }

    private static float[] Rest() => [0f, 0f, 0f, 0f, 0f, 1f];

    private static float[] Place(float[] pose6)
    {
        var image = new float[Landmarks68.FloatCount];
        FaceAnimator.Pose(CanonicalFace.Points, pose6, 1280, 720, 460, 700, 400, image);
        return image;
    }

    private static (double X, double Y) EyeMidpoint(ReadOnlySpan<float> face) =>
        (0.5 * (face[2 * Landmarks68.RightEyeOuter] + face[2 * Landmarks68.LeftEyeOuter]),
         0.5 * (face[2 * Landmarks68.RightEyeOuter + 1] + face[2 * Landmarks68.LeftEyeOuter + 1]));
}
