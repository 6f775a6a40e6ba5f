using Xunit;

namespace Pipeline.Media.Tests;

public sealed class VideoPacketIndexTests
{
    // Decode order of a clip with B-frames, as ffprobe lists retalk_2.mp4: presentation times in 1/25 s units.
    private static readonly int[] DecodeOrder = [0, 1, 3, 2, 4, 5, 7, 6, 9, 8, 10, 13, 11, 12, 14];

    private static VideoPacketIndex Index() =>
        new([.. DecodeOrder.Select(f => f * 0.04)], [.. DecodeOrder.Select((_, i) => (i - 2) * 0.04)], [.. DecodeOrder.Select(_ => 0.04)]);

    [Fact]
    public void Keeps_everything_for_the_full_length()
    {
        Assert.Equal((15, 0.6), Index().PrefixFor(0.6) is var p ? (p.Packets, Math.Round(p.End, 6)) : default);
    }

    [Theory]
    [InlineData(0.16, 4)] // frames 0..3: the decode prefix {0,1,3,2} is gap-free
    [InlineData(0.32, 8)] // frames 0..7
    [InlineData(0.20, 5)]
    public void Picks_the_gap_free_prefix_that_ends_at_the_target(double length, int packets)
    {
        var (count, end) = Index().PrefixFor(length);
        Assert.Equal(packets, count);
        Assert.Equal(length, end, 6);
    }

    [Fact]
    public void Ends_early_rather_than_late_when_no_prefix_is_exact()
    {
        // 0.48 s = frames 0..11; decode order holds 13 before 11 and 12, so the best is frames 0..10.
        var (packets, end) = Index().PrefixFor(0.48);
        Assert.Equal(11, packets);
        Assert.Equal(0.44, end, 6);
    }

    [Theory]
    [InlineData(0.16, 4, 0.16)] // an exact gap-free prefix is the same either way
    [InlineData(0.48, 14, 0.56)] // no prefix ends at frame 11 (13 decodes before 11 and 12): the first that covers it holds 0..13
    [InlineData(0.7, 15, 0.6)] // longer than the clip: all of it
    public void A_covering_prefix_ends_late_rather_than_early(double length, int packets, double end)
    {
        var covering = Index().CoveringPrefixFor(length);
        Assert.Equal(packets, covering.Packets);
        Assert.Equal(end, covering.End, 6);
    }

    [Fact]
    public void Decode_time_limit_falls_between_the_last_kept_and_first_dropped_packet()
    {
        var index = Index();
        Assert.Equal(0.22, index.DecodeTimeLimit(8)!.Value, 6); // packet 7 decodes at 0.20, packet 8 at 0.24
        Assert.Null(index.DecodeTimeLimit(15));
    }
}
