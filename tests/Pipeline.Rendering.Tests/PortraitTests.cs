using Pipeline.FaceGeometry;
using Pipeline.Rendering.Portrait;

namespace Pipeline.Rendering.Tests;

public sealed class PortraitTests
{
    private const int W = 400;
    private const int H = 400;

    // The canonical face at 80 px between the eyes, centred; the lower lip and jaw dropped by `open` pixels.
    private static float[] Face(float open = 0, float dx = 0, float dy = 0)
    {
        var face = new float[Landmarks68.FloatCount];
        for (var p = 0; p < 68; p++)
        {
            face[2 * p] = (80 * CanonicalFace.Points[2 * p]) + 200 + dx;
            face[(2 * p) + 1] = (80 * CanonicalFace.Points[(2 * p) + 1]) + 170 + dy;
        }

        // A shut mouth: the inner lower lip on the inner upper lip (67 under 61, 66 under 62, 65 under 63).
        foreach (var (lower, upper) in new[] { (67, 61), (66, 62), (65, 63) })
        {
            (face[2 * lower], face[(2 * lower) + 1]) = (face[2 * upper], face[(2 * upper) + 1]);
        }

        for (var p = 0; p < 68; p++)
        {
            if (p is (>= 5 and <= 11) or (>= 55 and <= 59) or (>= 65 and <= 67))
            {
                face[(2 * p) + 1] += open;
            }
        }

        return face;
    }

    // A smooth colour ramp with skin-like values, so sampling errors would show.
    private static byte[] Photo()
    {
        var photo = new byte[W * H * 3];
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                var at = ((y * W) + x) * 3;
                (photo[at], photo[at + 1], photo[at + 2]) = ((byte)(120 + (x / 4)), (byte)(90 + (y / 5)), (byte)(60 + ((x + y) / 10)));
            }
        }

        return photo;
    }

    [Fact]
    public void The_photo_face_drawn_where_it_is_is_the_photo()
    {
        var photo = Photo();
        var output = new byte[photo.Length];

        new PortraitWarp(W, H).Render(photo, Face(), Face(), output);

        Assert.Equal(photo, output);
    }

    [Fact]
    public void A_head_moved_sideways_carries_the_face_and_leaves_the_far_background()
    {
        var photo = Photo();
        var output = new byte[photo.Length];

        new PortraitWarp(W, H).Render(photo, Face(), Face(dx: 4), output);

        // At the nose the picture is the photo's from 4 px to the left; the corners are untouched.
        var nose = Face();
        var (x, y) = ((int)nose[2 * 30] + 4, (int)nose[(2 * 30) + 1]);
        Assert.InRange(output[((y * W) + x) * 3], photo[((y * W) + x - 4) * 3] - 1, photo[((y * W) + x - 4) * 3] + 1);
        foreach (var (cx, cy) in new[] { (0, 0), (W - 1, 0), (0, H - 1), (W - 1, H - 1) })
        {
            var at = ((cy * W) + cx) * 3;
            Assert.Equal(photo.AsSpan(at, 3).ToArray(), output.AsSpan(at, 3).ToArray());
        }
    }

    [Fact]
    public void An_opened_mouth_gets_a_dark_interior_and_teeth_under_the_upper_lip()
    {
        var photo = Photo();
        var output = new byte[photo.Length];
        var open = Face(open: 14);

        new PortraitWarp(W, H).Render(photo, Face(), open, output);

        // Down the middle of the opening: light teeth just under the upper lip, dark cavity lower down.
        var x = (int)MathF.Round(open[2 * 62]);
        var (top, bottom) = (open[(2 * 62) + 1], open[(2 * 66) + 1]);
        var teeth = Luma(output, x, (int)MathF.Round(top + 2));
        var cavity = Luma(output, x, (int)MathF.Round(bottom - 2));
        Assert.True(teeth > cavity + 60, $"teeth {teeth:F0} against cavity {cavity:F0}");
        Assert.True(cavity < 0.5 * Luma(photo, x, (int)MathF.Round(bottom - 2)), $"cavity {cavity:F0}");
    }

    [Fact]
    public void A_closed_mouth_is_not_painted()
    {
        var photo = Photo();
        var output = new byte[photo.Length];

        Assert.False(new MouthInterior(W, H).Paint(photo, Face(), output, Face(open: 0.5f)));
    }

    private static double Luma(byte[] image, int x, int y)
    {
        var at = ((y * W) + x) * 3;
        return (0.299 * image[at]) + (0.587 * image[at + 1]) + (0.114 * image[at + 2]);
    }
}
