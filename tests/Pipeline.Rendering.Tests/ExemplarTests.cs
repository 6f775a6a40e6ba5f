using Pipeline.FaceGeometry;
using Pipeline.Rendering.Exemplars;

namespace Pipeline.Rendering.Tests;

public sealed class ExemplarTests
{
    private const int W = 200;
    private const int H = 200;

    // The canonical face at 100 px between the eyes, centred; the lower lip and jaw dropped by `open` pixels.
    private static float[] Face(float open = 0, float dx = 0)
    {
        var face = new float[Landmarks68.FloatCount];
        for (var p = 0; p < 68; p++)
        {
            face[2 * p] = (100 * CanonicalFace.Points[2 * p]) + 100 + dx;
            face[(2 * p) + 1] = (100 * CanonicalFace.Points[(2 * p) + 1]) + 40;
            if (p is (>= 5 and <= 11) or (>= 55 and <= 59) or (>= 65 and <= 67))
            {
                face[(2 * p) + 1] += open;
            }
        }

        return face;
    }

    private static float[] ShapeOf(float[] face)
    {
        var shape = new float[ExemplarShape.Length];
        ExemplarShape.OfPixels(face, shape);
        return shape;
    }

    private static ExemplarBank Bank(params float[] openings)
    {
        var entries = openings.Select((o, i) => new Exemplar(i, 0, 0, 1, 1, i * 3, Face(o), ShapeOf(Face(o)))).ToList();
        return new ExemplarBank(W, H, entries, new byte[openings.Length * 3]);
    }

    [Fact]
    public void The_bank_plan_takes_one_real_frame_per_cluster_of_mouth_shapes_and_drops_a_lone_glitch()
    {
        var shapes = new List<float>();
        var random = new Random(3);
        foreach (var open in new[] { 0f, 12f, 24f })
        {
            for (var i = 0; i < 30; i++)
            {
                shapes.AddRange(ShapeOf(Face(open + ((float)random.NextDouble() - 0.5f))));
            }
        }

        shapes.AddRange(ShapeOf(Face(80))); // one tracking glitch, far from every real shape
        var chosen = ExemplarBankPlan.Choose(shapes.ToArray(), 4);

        Assert.Equal(3, chosen.Length);
        Assert.Equal([0, 1, 2], chosen.Select(i => i / 30).Order());
    }

    [Fact]
    public void The_selector_follows_the_shape_holds_an_exemplar_through_jitter_and_skips_frames_without_a_face()
    {
        var bank = Bank(0, 10, 20);
        float[] openings = [0.2f, 4.8f, 0.1f, 4.9f, 0.3f, 20, 19, 20, 0, 0];
        byte[] present = [1, 1, 1, 1, 1, 1, 1, 1, 0, 1];
        var targets = openings.SelectMany(o => ShapeOf(Face(o))).ToArray();

        var stiff = ExemplarSelector.Select(targets, present, bank);
        var loose = ExemplarSelector.Select(targets, present, bank, switchCost: 0);

        // Without a switch cost, 4.8 and 4.9 pick the nearer bank shape, 0 or 10, frame by frame; with it the first five hold one.
        Assert.Equal([0, 0, 0, 0, 0, 2, 2, 2, -1, 0], stiff);
        Assert.Equal(0, loose[0]);
        Assert.Equal(-1, loose[8]);
        Assert.Equal(2, loose[5]);
    }

    [Fact]
    public void An_empty_bank_selects_nothing()
    {
        var choice = ExemplarSelector.Select(ShapeOf(Face()), [1], Bank());
        Assert.Equal([-1], choice);
    }

    [Fact]
    public async Task A_bank_reads_back_as_written()
    {
        var face = Face(5);
        var crop = Enumerable.Range(0, 4 * 3 * 3).Select(i => (byte)i).ToArray();
        var bank = new ExemplarBank(640, 360, [new Exemplar(17, 10, 20, 4, 3, 0, face, ShapeOf(face))], crop);
        var folder = Path.Combine(Path.GetTempPath(), $"bank-{Guid.NewGuid():N}");
        try
        {
            await bank.WriteAsync(folder, CancellationToken.None);
            await using var index = File.OpenRead(Path.Combine(folder, ExemplarBank.IndexFile));
            await using var pixels = File.OpenRead(Path.Combine(folder, ExemplarBank.PixelsFile));
            var read = await ExemplarBank.ReadAsync(index, pixels, CancellationToken.None);

            Assert.Equal((640, 360, 1), (read.FrameWidth, read.FrameHeight, read.Count));
            Assert.Equal(bank.Entries[0] with { Landmarks = [], Shape = [] }, read.Entries[0] with { Landmarks = [], Shape = [] });
            Assert.Equal(face, read.Entries[0].Landmarks);
            Assert.Equal(crop, read.Crop(0).ToArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_compositor_draws_the_exemplar_mouth_in_the_frame_colour_and_touches_nothing_outside_the_mouth()
    {
        // The frame: flat skin. The exemplar: the same skin under brighter light (+30 on every channel), with a dark
        // mouth interior; it is cut from a frame where the face sat 6 px to the left.
        var frame = new byte[W * H * 3];
        Array.Fill(frame, (byte)120);
        var exemplarFace = Face(8, dx: -6);
        var region = ExemplarCrop.Region(exemplarFace, W, H);
        var source = new byte[W * H * 3];
        Array.Fill(source, (byte)150);
        var (x0, y0) = ((int)exemplarFace[2 * 62], (int)exemplarFace[(2 * 62) + 1]);
        for (var y = y0; y <= y0 + 4; y++)
        {
            for (var x = x0 - 5; x <= x0 + 5; x++)
            {
                source.AsSpan(((y * W) + x) * 3, 3).Fill(30);
            }
        }

        var crop = new byte[region.Width * region.Height * 3];
        ExemplarCrop.Copy(source, W, region, crop);
        var local = (float[])exemplarFace.Clone();
        for (var i = 0; i < local.Length; i += 2)
        {
            local[i] -= region.X;
            local[i + 1] -= region.Y;
        }

        var predicted = Face(8);
        var output = (byte[])frame.Clone();
        var compositor = new MouthCompositor(W, H);
        compositor.Apply(output, crop, region.Width, region.Height, local, predicted);

        // The lighting difference is taken out: the skin around the mouth stays the frame's colour.
        Assert.All(compositor.Shift.ToArray(), s => Assert.InRange(s, -31f, -29f));
        var (mx, my) = ((int)predicted[2 * 62], (int)predicted[(2 * 62) + 1]);
        Assert.InRange(output[(((my + 2) * W) + mx) * 3], 0, 40);  // the exemplar's dark interior, moved 6 px right with the face
        Assert.InRange(output[(((my - 12) * W) + mx) * 3], 118, 122); // the upper lip's skin, colour-matched

        // Nothing above the nose base or far from the mouth changed at all.
        var changedTop = int.MaxValue;
        for (var i = 0; i < W * H; i++)
        {
            if (output[i * 3] != frame[i * 3] || output[(i * 3) + 1] != frame[(i * 3) + 1])
            {
                changedTop = Math.Min(changedTop, i / W);
            }
        }

        Assert.True(changedTop > predicted[(2 * 33) + 1], $"row {changedTop} changed, above the nose base at {predicted[(2 * 33) + 1]}");
    }

    [Fact]
    public void A_crop_drawn_back_where_it_was_cut_is_the_source_exactly()
    {
        var random = new Random(9);
        var source = new byte[W * H * 3];
        random.NextBytes(source);
        var face = Face(4);
        var region = ExemplarCrop.Region(face, W, H);
        var crop = new byte[region.Width * region.Height * 3];
        ExemplarCrop.Copy(source, W, region, crop);

        var mesh = new float[2 * MouthMesh.PointCount];
        MouthMesh.Build(face, mesh);
        var local = mesh.Select((v, i) => v - (i % 2 == 0 ? region.X : region.Y)).ToArray();
        var output = new byte[W * H * 3];
        var coverage = new byte[W * H];
        PiecewiseAffineWarp.Apply(crop, region.Width, region.Height, local, mesh, Delaunay.Triangulate(mesh), output, W, H, coverage);

        var covered = 0;
        for (var i = 0; i < W * H; i++)
        {
            if (coverage[i] != 0)
            {
                covered++;
                Assert.Equal(source.AsSpan(i * 3, 3).ToArray(), output.AsSpan(i * 3, 3).ToArray());
            }
        }

        Assert.True(covered > 1000, $"{covered} pixels covered");
    }
}
