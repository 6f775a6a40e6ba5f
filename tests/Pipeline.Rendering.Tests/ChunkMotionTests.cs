using Pipeline.Contracts.Artifacts;
using Pipeline.FaceGeometry;
using Pipeline.Render;

namespace Pipeline.Rendering.Tests;

public sealed class ChunkMotionTests
{
    private const int Rows = 300; // 12 s of motion at 25 fps

    private static (float[] All, byte[] Present) Motion()
    {
        var all = new float[Rows * Landmarks68.FloatCount];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = i / Landmarks68.FloatCount; // each row holds its own index
        }

        var present = Enumerable.Range(0, Rows).Select(i => (byte)(i % 7 == 0 ? 0 : 1)).ToArray();
        return (all, present);
    }

    private static ChunkRange Chunk(int index, long start, int frames) => new(index, start, frames, start / 25.0, frames / 25.0);

    [Fact]
    public void A_chunk_inside_the_motion_gets_its_own_rows()
    {
        var (all, present) = Motion();
        var (landmarks, flags) = ChunkMotion.Slice(all, present, Chunk(1, 100, 50));

        Assert.Equal(50 * Landmarks68.FloatCount, landmarks.Length);
        Assert.Equal(all.AsSpan(100 * Landmarks68.FloatCount, 50 * Landmarks68.FloatCount).ToArray(), landmarks);
        Assert.Equal(present.AsSpan(100, 50).ToArray(), flags);
    }

    [Fact]
    public void Rows_past_the_motions_end_read_as_no_face()
    {
        var (all, present) = Motion();
        var (landmarks, flags) = ChunkMotion.Slice(all, present, Chunk(2, 250, 100));

        Assert.Equal(present.AsSpan(250, 50).ToArray(), flags.AsSpan(0, 50).ToArray());
        Assert.All(flags.Skip(50), f => Assert.Equal(0, f));
        Assert.Equal(299f, landmarks[(50 * Landmarks68.FloatCount) - 1]);
        Assert.All(landmarks.Skip(50 * Landmarks68.FloatCount), v => Assert.Equal(0f, v));
    }

    // A 38 s video dubbed with 12 s of speech: its last chunk starts past the motion's end. This threw, the chunk
    // failed its retries, and the job failed with "internal error in render/3".
    [Fact]
    public void A_chunk_wholly_past_the_motions_end_is_all_no_face()
    {
        var (all, present) = Motion();
        var (landmarks, flags) = ChunkMotion.Slice(all, present, Chunk(3, 750, 200));

        Assert.Equal(200, flags.Length);
        Assert.All(flags, f => Assert.Equal(0, f));
        Assert.All(landmarks, v => Assert.Equal(0f, v));
    }
}
