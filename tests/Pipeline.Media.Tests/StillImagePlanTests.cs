using Xunit;

namespace Pipeline.Media.Tests;

/// <summary>The arithmetic and arguments behind thumbnails and preview strips.</summary>
public sealed class StillImagePlanTests
{
    [Theory]
    [InlineData(1920, 1080, 720, 1280, 720)]
    [InlineData(1920, 1080, 120, 212, 120)] // 213.3 wide, made even
    [InlineData(224, 224, 720, 224, 224)] // small sources keep their size
    [InlineData(225, 151, 720, 224, 150)] // odd sizes made even
    [InlineData(844, 844, 120, 120, 120)]
    public void Fit_keeps_the_aspect_caps_the_height_and_makes_both_sides_even(int width, int height, int max, int expectedWidth, int expectedHeight) =>
        Assert.Equal((expectedWidth, expectedHeight), StillImagePlan.Fit(width, height, max));

    [Fact]
    public void Thumbnail_window_starts_a_third_in_and_is_bounded_in_seconds_and_frames()
    {
        Assert.Equal((3.0, 50), StillImagePlan.ThumbnailWindow(9, 1 / 25.0)); // 2 s at 25 fps
        Assert.Equal((40.0, 50), StillImagePlan.ThumbnailWindow(120, 1 / 60.0)); // 2 s at 60 fps would be 120 frames
        var (start, frames) = StillImagePlan.ThumbnailWindow(0.3, 1 / 25.0);
        Assert.Equal(0.1, start, 9);
        Assert.Equal(5, frames); // what is left after the start
        Assert.Equal((0.0, 1), StillImagePlan.ThumbnailWindow(0, 1 / 25.0)); // a still picture
    }

    [Fact]
    public void Preview_times_are_the_middles_of_equal_parts_and_never_past_the_last_frame()
    {
        Assert.Equal([0.5, 1.5, 2.5, 3.5, 4.5], StillImagePlan.PreviewTimes(5, 1 / 25.0, 5));

        // Three frames, three tiles: the last middle (0.1 s) would be inside the last frame's tail; it is held 1.5 frames from the end.
        var times = StillImagePlan.PreviewTimes(0.12, 0.04, 3);
        Assert.Equal(0.02, times[0], 9);
        Assert.Equal(0.06, times[1], 9);
        Assert.Equal(0.06, times[2], 9);
    }

    [Fact]
    public void Preview_seeks_each_input_and_stacks_one_frame_of_each()
    {
        var info = Info(videoIndex: 1);
        var args = StillImagePlan.Preview(info, info.Video!, [0.5, 1.5, 2.5], (120, 68), "/tmp/p.jpg");

        Assert.Equal(3, args.Count(a => a == "-ss"));
        Assert.Equal(["-ss", "1.5", "-i", "/tmp/in.mp4"], args.Skip(5).Take(4));
        var graph = args[args.IndexOf("-filter_complex") + 1];
        Assert.Contains("[2:1]trim=end_frame=1,setpts=PTS-STARTPTS,scale=120:68:flags=lanczos,setsar=1[t2]", graph, StringComparison.Ordinal);
        Assert.EndsWith("[t0][t1][t2]hstack=inputs=3[strip]", graph, StringComparison.Ordinal);
        Assert.Equal(["-frames:v", "1"], args.Skip(args.IndexOf("-frames:v")).Take(2));
        Assert.Equal("/tmp/p.jpg", args[^1]);

        var single = StillImagePlan.Preview(info, info.Video!, [0.5], (120, 68), "/tmp/p.jpg");
        Assert.EndsWith("[t0]null[strip]", single[single.IndexOf("-filter_complex") + 1], StringComparison.Ordinal);
    }

    [Fact]
    public void Thumbnail_scales_before_choosing_and_writes_one_frame()
    {
        var info = Info(videoIndex: 0);
        var args = StillImagePlan.Thumbnail(info, info.Video!, 3, 50, (720, 406), "/tmp/t.jpg");

        Assert.Equal(["-y", "-ss", "3", "-i", "/tmp/in.mp4", "-map", "0:0"], args.Take(7));
        Assert.Equal("scale=720:406:flags=lanczos,setsar=1,thumbnail=n=50", args[args.IndexOf("-vf") + 1]);
        Assert.Equal(["-frames:v", "1"], args.Skip(args.IndexOf("-frames:v")).Take(2));
    }

    private static MediaInfo Info(int videoIndex) => new(
        "/tmp/in.mp4",
        "mov,mp4,m4a,3gp,3g2,mj2",
        3,
        1000,
        null,
        [new VideoStreamInfo(videoIndex, "h264", null, 1920, 1080, "yuv420p", new Rational(25, 1), new Rational(25, 1), 3, 75, 0, false, null)],
        [],
        0);
}
