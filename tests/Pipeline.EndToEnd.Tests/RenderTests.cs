using System.Globalization;
using System.Text.Json;
using Pipeline.Features;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>
/// `./pipeline dub` rendering on inputs made from real clips: frame rates other than 25, a frame with two people,
/// and frames without a face. Each checks that the right frames and only the lower face changed.
/// </summary>
public sealed class RenderTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("render");

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("24000/1001")]
    [InlineData("30000/1001")]
    [InlineData("60")]
    public async Task Every_frame_rate_is_rendered_on_its_own_clock(string rate)
    {
        var clip = _scratch.File($"clip-{rate.Replace('/', '_')}.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00086.mp4"), "-t", "3", "-vf", $"fps={rate}", "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", "-c:a", "aac", clip);
        var output = _scratch.File($"out-{rate.Replace('/', '_')}.mp4");
        var home = _scratch.File("home");

        var json = await DubAsync(clip, output, home);

        Assert.Equal(Media.Video(clip).FrameRate, Media.Video(output).FrameRate);
        var frames = json.GetProperty("render").GetProperty("frames").GetInt64();
        var expected = 3 * Rate(rate);
        Assert.InRange(frames, expected - 2, expected + 1);
        Assert.True(json.GetProperty("render").GetProperty("faces_drawn").GetInt64() >= 0.9 * frames);
        Assert.True(OutsidePsnr(clip, output, home, json) >= 40);
    }

    [Theory]
    [InlineData("loop")]
    [InlineData("bounce")]
    public async Task A_short_clip_in_any_container_is_extended_on_its_own_clock_before_it_is_rendered(string policy)
    {
        // 3 s at 29.97 fps in MPEG-TS (a container the mux does not write, so the extension goes to Matroska), with
        // 8 s of speech: every frame of the 8 s is tracked and redrawn, at the clip's own rate.
        var clip = _scratch.File($"short-{policy}.ts");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00086.mp4"), "-t", "3", "-vf", "fps=30000/1001", "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", "-c:a", "aac", clip);
        var output = _scratch.File($"short-{policy}.mp4");
        var home = _scratch.File("home");

        var json = await DubAsync(clip, output, home, "--length-policy", policy);

        Assert.Equal("30000/1001", Media.Video(output).FrameRate);
        var frames = json.GetProperty("render").GetProperty("frames").GetInt64();
        Assert.Equal(240, frames); // 8 s at 29.97 fps is 239.8 frames: the 240th starts before the speech ends
        Assert.True(json.GetProperty("render").GetProperty("faces_drawn").GetInt64() >= 0.9 * frames);
        Assert.True(json.GetProperty("video_stream_copied").GetBoolean()); // the picture was extended before rendering
    }

    [Fact]
    public async Task A_matroska_source_is_dubbed_frame_by_frame()
    {
        // Matroska gives its streams no length of their own (only a DURATION tag): the clip must still plan as 3 s of
        // frames, not as a single picture.
        var clip = _scratch.File("source.mkv");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00086.mp4"), "-t", "3", "-c", "copy", clip);
        var output = _scratch.File("source-out.mp4");
        var home = _scratch.File("home");

        var json = await DubAsync(clip, output, home);

        Assert.InRange(json.GetProperty("render").GetProperty("frames").GetInt64(), 75, 80); // the copy ends on a packet: 77 frames, 3.14 s
        Assert.True(json.GetProperty("render").GetProperty("faces_drawn").GetInt64() >= 70);
        Assert.True(OutsidePsnr(clip, output, home, json) >= 40);
    }

    [Fact]
    public async Task Of_two_people_only_the_chosen_one_speaks()
    {
        // Two speakers side by side at 360 px high; the second from the left is dubbed.
        var clip = _scratch.File("two.mp4");
        Ffmpeg.Run(
            "-t", "3", "-i", TestData.Require("video/vox_00086.mp4"), "-t", "3", "-i", TestData.Require("video/retalk_5.mp4"),
            "-filter_complex", "[0:v]scale=360:360,setsar=1,fps=25[a];[1:v]scale=360:360,setsar=1,fps=25[b];[a][b]hstack=inputs=2[v]",
            "-map", "[v]", "-map", "0:a:0", "-t", "3", "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", "-c:a", "aac", clip);
        var output = _scratch.File("two-out.mp4");
        var home = _scratch.File("home");

        var json = await DubAsync(clip, output, home, "--face", "index:1");

        var (landmarks, _) = NpyReader.Load<float>(MotionPath(home, json));
        var xs = Enumerable.Range(0, landmarks.Length / 2).Select(i => landmarks[2 * i]).Where(x => x > 0).ToList();
        Assert.True(xs.Count > 0 && xs.Min() > 360, $"the redrawn face spans x {xs.DefaultIfEmpty().Min():F0}..{xs.DefaultIfEmpty().Max():F0}: it must be the right-hand one");
        Assert.True(OutsidePsnr(clip, output, home, json) >= 40); // the other speaker is untouched (within codec noise)
    }

    [Fact]
    public async Task Frames_without_a_face_pass_through()
    {
        // Two seconds of a speaker, then one second of an empty grey frame.
        var clip = _scratch.File("gap.mp4");
        Ffmpeg.Run(
            "-t", "2", "-i", TestData.Require("video/vox_00086.mp4"), "-f", "lavfi", "-t", "1", "-i", "color=c=gray:s=224x224:r=25",
            "-filter_complex", "[0:v]scale=224:224,setsar=1,fps=25[a];[1:v]setsar=1[b];[a][b]concat=n=2:v=1:a=0[v]",
            "-map", "[v]", "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", clip);
        var output = _scratch.File("gap-out.mp4");
        var home = _scratch.File("home");

        var json = await DubAsync(clip, output, home);

        var render = json.GetProperty("render");
        Assert.Equal(75, render.GetProperty("frames").GetInt64());
        Assert.InRange(render.GetProperty("faces_drawn").GetInt64(), 40, 50);
        Assert.True(OutsidePsnr(clip, output, home, json) >= 40); // grey frames are compared whole
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("bounce")] // the 3 s picture is extended to the speech's 8 s (re-encoded) before it is rendered
    public async Task A_ten_bit_hdr_source_stays_ten_bit_with_its_colour_tags(string policy)
    {
        // An HDR master's picture: 4:2:0 at 10 bits, BT.2020 primaries, PQ transfer. Cutting it to 8 bits would band
        // every gradient of the frame, not only the redrawn mouth.
        var clip = _scratch.File($"hdr10-{policy}.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00086.mp4"), "-t", "3", "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", "-pix_fmt", "yuv420p10le",
            "-color_primaries", "bt2020", "-color_trc", "smpte2084", "-colorspace", "bt2020nc", "-c:a", "aac", clip);
        var output = _scratch.File($"hdr10-{policy}-out.mp4");
        var home = _scratch.File("home");

        var json = await DubAsync(clip, output, home, "--length-policy", policy);

        Assert.Equal(("yuv420p10le", "smpte2084", "bt2020"), Media.PictureFormat(output));
        var render = json.GetProperty("render");
        Assert.True(render.GetProperty("faces_drawn").GetInt64() >= 0.9 * render.GetProperty("frames").GetInt64());
        Assert.True(OutsidePsnr(clip, output, home, json) >= 40);
        Assert.True(FrameComparison.MouthMeanDifference(clip, output, MotionPath(home, json), 224, 224) > 1); // the mouth was redrawn
    }

    private async Task<JsonElement> DubAsync(string video, string output, string home, params string[] extra)
    {
        var result = await PipelineCli.RunAsync(
            home, ["dub", "--video", video, "--audio", TestData.Require("audio/en_radio31.wav"), "--out", output, "--json", .. extra]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    private static string MotionPath(string home, JsonElement json) =>
        Path.Combine(home, "store", json.GetProperty("motion").GetProperty("artifact").GetString()!);

    private static double OutsidePsnr(string clip, string output, string home, JsonElement json)
    {
        var video = Media.Video(clip);
        return FrameComparison.OutsideLowerFacePsnr(clip, output, MotionPath(home, json), video.Width, video.Height);
    }

    private static double Rate(string rate)
    {
        var parts = rate.Split('/');
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / (parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : 1);
    }
}
