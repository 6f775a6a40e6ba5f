using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts.Artifacts;
using Pipeline.Media;
using Pipeline.Render.Chunks;
using Pipeline.Render.Onnx;
using Pipeline.ServiceDefaults;
using Pipeline.TestSupport;
using Pipeline.TestSupport.Onnx;

namespace Pipeline.Onnx.Tests;

/// <summary>The onnx backend on real tracked frames: only the lower face changes, and it is drawn where the face is.</summary>
public sealed class DrawerTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("onnx-draw");

    public void Dispose() => _scratch.Dispose();

    private static float[] Mel(int rows, int seed)
    {
        var mel = new float[rows * 80];
        Models.Fill(mel, seed, -4, 4);
        return mel;
    }

    // Every frame with a face through the drawer (batches of 4, the last one short); returns the redrawn frames.
    private static async Task<(List<byte[]> Frames, long Drawn)> DrawAsync(RealFrames real, Wav2LipModel model)
    {
        var drawer = new OnnxFrameDrawer(new OnnxInputs(model, Mel(200, 7)), real.Landmarks, new Rational(25, 1), real.Width, real.Height);
        var output = new List<byte[]>();
        for (var i = 0; i < RealFrames.Frames; i++)
        {
            var frame = (byte[])real.Decoded[i].Clone();
            if (real.Present[i] == 0)
            {
                await drawer.FlushAsync(f => { output.Add(f); return ValueTask.CompletedTask; });
                drawer.Reset();
                output.Add(frame);
            }
            else if (drawer.Add(frame, i, i))
            {
                await drawer.FlushAsync(f => { output.Add(f); return ValueTask.CompletedTask; });
            }
        }

        await drawer.FlushAsync(f => { output.Add(f); return ValueTask.CompletedTask; });
        return (output, drawer.FacesDrawn);
    }

    [Fact]
    public async Task Only_the_lower_face_changes_and_it_changes_a_lot_under_a_model_that_draws_a_negative()
    {
        var real = await RealFrames.LoadAsync(_scratch);
        using var model = Models.Load(LinearFaceModel.Negative(), _scratch.File("neg"), batchSize: 4);

        var (frames, drawn) = await DrawAsync(real, model);

        Assert.Equal(RealFrames.Frames, frames.Count);
        Assert.Equal(real.Present.Take(RealFrames.Frames).Count(p => p != 0), drawn);
        for (var i = 0; i < RealFrames.Frames; i++)
        {
            if (real.Present[i] == 0)
            {
                Assert.Equal(real.Decoded[i], frames[i]);
                continue;
            }

            Assert.Equal(0, real.MeanDifference(real.Decoded[i], frames[i], real.LowerFaceBox(i), inside: false));
            var mouth = real.MeanDifference(real.Decoded[i], frames[i], real.MouthBox(i), inside: true);
            Assert.True(mouth > 25, $"frame {i}: the mouth changed by only {mouth:F1} levels");
        }
    }

    [Fact]
    public async Task A_model_that_returns_its_reference_puts_the_face_back_where_it_was()
    {
        // Crop, resize to 96, resize back and paste: if the box were misplaced or flipped, the mouth would not line up.
        var real = await RealFrames.LoadAsync(_scratch);
        using var model = Models.Load(LinearFaceModel.Reference(), _scratch.File("ref"), batchSize: 3);

        var (frames, _) = await DrawAsync(real, model);

        for (var i = 0; i < RealFrames.Frames; i++)
        {
            if (real.Present[i] != 0)
            {
                var mouth = real.MeanDifference(real.Decoded[i], frames[i], real.MouthBox(i), inside: true);
                Assert.True(mouth < 6, $"frame {i}: the pasted mouth is {mouth:F1} levels off the original");
            }
        }
    }

    [Fact]
    public async Task The_chunk_renderer_passes_frames_without_a_face_through_and_redraws_the_rest()
    {
        var real = await RealFrames.LoadAsync(_scratch);
        using var model = Models.Load(LinearFaceModel.Negative(), _scratch.File("chunk"), batchSize: 4);
        var present = real.Present.Take(RealFrames.Frames).ToArray();
        for (var i = 20; i < 30; i++)
        {
            present[i] = 0; // as if the face were lost for ten frames
        }

        var job = new ChunkRenderJob(
            real.Clip, new ChunkRange(0, 0, RealFrames.Frames, 0, 2), real.Landmarks, present, real.Landmarks, present,
            RenderBackends.Onnx, null, EncodeSettings.Default with { Crf = 0 }, new OnnxInputs(model, Mel(200, 9)));
        var output = _scratch.File("chunk.mp4");

        var summary = await new ChunkRenderer(RealFrames.Prober, RealFrames.Runner, NullLogger<ChunkRenderer>.Instance).RunAsync(job, output, null, TestContext.Current.CancellationToken);

        Assert.Equal(RealFrames.Frames, summary.Frames);
        Assert.Equal(present.Count(p => p != 0), summary.FacesDrawn);
        Assert.True(summary.InferenceSeconds > 0);
        var rendered = new List<byte[]>();
        await using (var reader = await VideoFrameReader.OpenAsync(RealFrames.Prober, RealFrames.Runner, output, VideoDecodeOptions.ForFrames(new Rational(25, 1), 0, RealFrames.Frames, exactColour: true), TestContext.Current.CancellationToken))
        {
            for (var buffer = new byte[reader.FrameBytes]; await reader.ReadFrameAsync(buffer, TestContext.Current.CancellationToken); buffer = new byte[reader.FrameBytes])
            {
                rendered.Add(buffer);
            }
        }

        Assert.Equal(RealFrames.Frames, rendered.Count);
        var whole = (0, 0, -1, -1);
        for (var i = 0; i < RealFrames.Frames; i++)
        {
            // Lossless x264 in yuv420p: only the colour round trip separates the frames.
            if (present[i] == 0)
            {
                Assert.True(real.MeanDifference(real.Decoded[i], rendered[i], whole, inside: false) < 1.5, $"frame {i} without a face changed");
                continue;
            }

            Assert.True(real.MeanDifference(real.Decoded[i], rendered[i], real.LowerFaceBox(i), inside: false) < 1.5, $"frame {i} changed outside the lower face");
            Assert.True(real.MeanDifference(real.Decoded[i], rendered[i], real.MouthBox(i), inside: true) > 20, $"frame {i}: the mouth was not redrawn");
        }
    }
}
