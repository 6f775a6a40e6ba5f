using Pipeline.FaceGeometry;

namespace Pipeline.Rendering.Tests;

public sealed class WarpTests
{
    private const int W = 96;
    private const int H = 80;

    // A frame with texture in every channel, so any misplaced sample shows.
    private static byte[] Frame(int seed)
    {
        var random = new Random(seed);
        var frame = new byte[W * H * 3];
        random.NextBytes(frame);
        return frame;
    }

    // A ring of points around a middle one: a small mesh like the lower face's.
    private static float[] Points(float dx = 0, float dy = 0)
    {
        var points = new List<float> { 48 + dx, 40 + dy };
        for (var i = 0; i < 10; i++)
        {
            var angle = i * Math.PI / 5;
            points.Add((float)(48 + (25 * Math.Cos(angle))) + dx);
            points.Add((float)(40 + (20 * Math.Sin(angle))) + dy);
        }

        return [.. points];
    }

    private static (byte[] Output, byte[] Coverage) Warp(byte[] source, float[] from, float[] to)
    {
        var output = (byte[])source.Clone();
        var coverage = new byte[W * H];
        PiecewiseAffineWarp.Apply(source, W, H, from, to, Delaunay.Triangulate(to), output, coverage);
        return (output, coverage);
    }

    [Fact]
    public void Points_that_stay_put_leave_every_pixel_exactly_as_it_was()
    {
        var frame = Frame(1);
        var (output, coverage) = Warp(frame, Points(), Points());

        Assert.True(coverage.Count(c => c != 0) > 1000);
        Assert.Equal(frame, output);
    }

    [Fact]
    public void A_whole_pixel_shift_of_the_points_shifts_the_pixels_inside_the_mesh()
    {
        var frame = Frame(2);
        var (output, coverage) = Warp(frame, Points(), Points(3, 2));

        var checkedPixels = 0;
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                if (coverage[(y * W) + x] == 0)
                {
                    continue;
                }

                for (var c = 0; c < 3; c++)
                {
                    Assert.Equal(frame[((((y - 2) * W) + (x - 3)) * 3) + c], output[(((y * W) + x) * 3) + c]);
                }

                checkedPixels++;
            }
        }

        Assert.True(checkedPixels > 1000, $"{checkedPixels} pixels inside the mesh");
    }

    [Fact]
    public void Pixels_outside_the_target_mesh_are_untouched_and_inside_it_the_mouth_opens()
    {
        // Open a "mouth": the bottom points of the ring move down 6 pixels.
        var frame = Frame(3);
        var from = Points();
        var to = (float[])from.Clone();
        for (var p = 1; p < to.Length / 2; p++)
        {
            if (from[(2 * p) + 1] > 45)
            {
                to[(2 * p) + 1] += 6;
            }
        }

        var (output, coverage) = Warp(frame, from, to);

        for (var p = 0; p < W * H; p++)
        {
            if (coverage[p] == 0)
            {
                Assert.Equal(frame.AsSpan(p * 3, 3).ToArray(), output.AsSpan(p * 3, 3).ToArray());
            }
        }

        Assert.NotEqual(frame, output);
    }

    [Fact]
    public void The_feathered_blend_keeps_the_inside_and_the_outside_and_softens_only_the_edge()
    {
        var original = new byte[W * H * 3];
        var warped = new byte[W * H * 3];
        var coverage = new byte[W * H];
        Array.Fill(warped, (byte)200);
        for (var y = 20; y < 60; y++)
        {
            for (var x = 20; x < 76; x++)
            {
                coverage[(y * W) + x] = 255;
            }
        }

        // Outside the region the warp writes nothing: there warped is the original.
        for (var p = 0; p < W * H; p++)
        {
            if (coverage[p] == 0)
            {
                warped.AsSpan(p * 3, 3).Clear();
            }
        }

        new FeatheredBlend(W, H).Apply(original, warped, coverage, radius: 3);

        Assert.Equal(200, warped[((40 * W) + 48) * 3]); // deep inside: the warp
        Assert.Equal(0, warped[((5 * W) + 5) * 3]); // far outside: the original
        var edge = warped[((40 * W) + 20) * 3]; // on the region's edge: between the two
        Assert.InRange(edge, 60, 140);
        var inside = warped[((40 * W) + 24) * 3];
        Assert.True(inside > edge, $"{inside} vs {edge}");
    }

    [Fact]
    public void Delaunay_triangles_are_oriented_use_every_point_and_have_empty_circumcircles()
    {
        var random = new Random(4);
        var points = new float[2 * 40];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = (float)(random.NextDouble() * 100);
        }

        var triangles = Delaunay.Triangulate(points);

        Assert.Equal(0, triangles.Length % 3);
        Assert.Equal(Enumerable.Range(0, 40), triangles.Distinct().Order());
        for (var t = 0; t < triangles.Length; t += 3)
        {
            var (a, b, c) = (triangles[t], triangles[t + 1], triangles[t + 2]);
            double ax = points[2 * a], ay = points[(2 * a) + 1], bx = points[2 * b], by = points[(2 * b) + 1], cx = points[2 * c], cy = points[(2 * c) + 1];
            Assert.True(((bx - ax) * (cy - ay)) - ((by - ay) * (cx - ax)) > 0);

            // Circumcentre and radius; no other point lies strictly inside.
            var d = 2 * ((ax * (by - cy)) + (bx * (cy - ay)) + (cx * (ay - by)));
            var ux = (((ax * ax) + (ay * ay)) * (by - cy) + ((bx * bx) + (by * by)) * (cy - ay) + ((cx * cx) + (cy * cy)) * (ay - by)) / d;
            var uy = (((ax * ax) + (ay * ay)) * (cx - bx) + ((bx * bx) + (by * by)) * (ax - cx) + ((cx * cx) + (cy * cy)) * (bx - ax)) / d;
            var r2 = ((ax - ux) * (ax - ux)) + ((ay - uy) * (ay - uy));
            for (var p = 0; p < 40; p++)
            {
                if (p == a || p == b || p == c)
                {
                    continue;
                }

                var d2 = ((points[2 * p] - ux) * (points[2 * p] - ux)) + ((points[(2 * p) + 1] - uy) * (points[(2 * p) + 1] - uy));
                Assert.True(d2 >= r2 * (1 - 1e-9), $"point {p} inside the circumcircle of ({a}, {b}, {c})");
            }
        }

        // Euler: a triangulation of n points with h on the hull has 2n − 2 − h triangles; h ≥ 3.
        Assert.InRange(triangles.Length / 3, 40, (2 * 40) - 5);
    }
    [Fact]
    public void The_lower_face_warp_changes_nothing_when_the_prediction_is_the_tracked_face_and_only_the_lower_face_otherwise()
    {
        const int w = 320, h = 320;
        var frame = new byte[w * h * 3];
        new Random(5).NextBytes(frame);
        var tracked = new float[Landmarks68.FloatCount];
        for (var i = 0; i < Landmarks68.PointCount; i++)
        {
            tracked[2 * i] = 160 + (CanonicalFace.Points[2 * i] * 100);
            tracked[(2 * i) + 1] = 120 + (CanonicalFace.Points[(2 * i) + 1] * 100);
        }

        var warp = new LowerFaceWarp(w, h);
        var output = new byte[frame.Length];
        warp.Render(frame, tracked, tracked, output);
        Assert.Equal(frame, output);

        // Drop the jaw and the lower lip by 8 pixels: the eyes' rows and everything far from the face stay exact.
        var open = (float[])tracked.Clone();
        foreach (var p in new[] { 5, 6, 7, 8, 9, 10, 11, 55, 56, 57, 58, 59, 65, 66, 67 })
        {
            open[(2 * p) + 1] += 8;
        }

        warp.Render(frame, tracked, open, output);
        var eyesRow = (int)tracked[(2 * 36) + 1];
        Assert.Equal(frame.AsSpan(0, (eyesRow - 5) * w * 3).ToArray(), output.AsSpan(0, (eyesRow - 5) * w * 3).ToArray());
        var chin = (int)tracked[(2 * 8) + 1];
        Assert.NotEqual(frame.AsSpan(chin * w * 3, 40 * w * 3).ToArray(), output.AsSpan(chin * w * 3, 40 * w * 3).ToArray());
    }
}
