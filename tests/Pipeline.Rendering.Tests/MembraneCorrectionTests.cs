using Xunit;

namespace Pipeline.Rendering.Tests;

public sealed class MembraneCorrectionTests
{
    private const int W = 120;
    private const int H = 90;

    // A covered disc with a margin of uncovered pixels around it inside the box.
    private static byte[] Disc(int cx, int cy, int r)
    {
        var coverage = new byte[W * H];
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                if (((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= r * r)
                {
                    coverage[(y * W) + x] = 255;
                }
            }
        }

        return coverage;
    }

    [Fact]
    public void A_layer_lit_by_a_gradient_is_brought_to_the_frame_inside_and_on_the_edge()
    {
        // The frame is the layer plus a lighting ramp: a harmonic difference, which the membrane reproduces inside.
        var layer = new byte[W * H * 3];
        var frame = new byte[W * H * 3];
        var random = new Random(4);
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                var p = ((y * W) + x) * 3;
                for (var c = 0; c < 3; c++)
                {
                    layer[p + c] = (byte)random.Next(60, 140);
                    frame[p + c] = (byte)(layer[p + c] + 10 + (0.25 * (x - 30)) + (0.1 * c * (y - 20)));
                }
            }
        }

        var coverage = Disc(60, 45, 30);
        var before = (byte[])layer.Clone();
        new MembraneCorrection().Apply(frame, layer, coverage, W, 20, 5, 100, 85, cell: 6);

        var worst = 0;
        for (var i = 0; i < W * H; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                var p = (i * 3) + c;
                if (coverage[i] == 0)
                {
                    Assert.Equal(before[p], layer[p]); // only covered pixels are touched
                }
                else
                {
                    worst = Math.Max(worst, Math.Abs(layer[p] - frame[p]));
                }
            }
        }

        // Without the correction the inside differs by 10-25 levels; the membrane leaves rounding and the grid's edge.
        Assert.InRange(worst, 0, 2);
    }

    [Fact]
    public void A_layer_that_already_meets_the_frame_is_left_as_it_is()
    {
        var frame = new byte[W * H * 3];
        new Random(7).NextBytes(frame);
        var layer = (byte[])frame.Clone();
        var coverage = Disc(50, 40, 20);

        // The edge matches, so nothing is spread inside, whatever the inside holds (the layer's own mouth).
        for (var y = 35; y < 45; y++)
        {
            for (var x = 45; x < 55; x++)
            {
                layer[((y * W) + x) * 3] = 0;
            }
        }

        var expected = (byte[])layer.Clone();
        new MembraneCorrection().Apply(frame, layer, coverage, W, 20, 10, 80, 70, cell: 5);
        Assert.Equal(expected, layer);
    }

    [Fact]
    public void Nothing_covered_changes_nothing()
    {
        var frame = new byte[W * H * 3];
        var layer = new byte[W * H * 3];
        Array.Fill(frame, (byte)200);
        new MembraneCorrection().Apply(frame, layer, new byte[W * H], W, 0, 0, W - 1, H - 1, cell: 4);
        Assert.All(layer, b => Assert.Equal(0, b));
    }
}
