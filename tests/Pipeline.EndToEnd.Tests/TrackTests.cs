using System.Text.Json;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>`./pipeline track` as a user runs it: the artifact, the pictures to check it, and clear errors.</summary>
public sealed class TrackTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("track");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Track_writes_the_arrays_an_overlay_video_and_a_contact_sheet()
    {
        var video = TestData.Require("video/vox_00473.mp4"); // 158 frames
        var output = _scratch.File("out");

        var result = await PipelineCli.RunAsync(_scratch.File("home"), ["track", "--video", video, "--out", output, "--json"]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(158, json.GetProperty("frames").GetInt64());
        Assert.InRange(json.GetProperty("face_frames").GetInt64(), 155, 158);
        Assert.True(json.GetProperty("tracking_fps").GetDouble() > 0);
        foreach (var file in new[] { "present.npy", "face_id.npy", "boxes.npy", "landmarks.npy", "landmarks_raw.npy", "pose.npy", "similarity.npy", "confidence.npy", "track.json", "track.mp4", "contact.png" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        }

        Assert.Equal(158, (int)Math.Round(Ffmpeg.Duration(Path.Combine(output, "track.mp4")) * 25));
        using var sidecar = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "track.json"), TestContext.Current.CancellationToken));
        Assert.Equal("pipeline.face-track", sidecar.RootElement.GetProperty("format").GetString());
        Assert.Equal([158, 1, 68, 2], sidecar.RootElement.GetProperty("files").GetProperty("landmarks").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task Audio_only_input_and_a_bad_face_option_are_one_line_errors()
    {
        var audio = TestData.Require("audio/en_radio31.wav");

        var noVideo = await PipelineCli.RunAsync(_scratch.File("home"), ["track", "--video", audio, "--out", _scratch.File("a")]);
        var badFace = await PipelineCli.RunAsync(_scratch.File("home"), ["track", "--video", audio, "--out", _scratch.File("b"), "--face", "tallest"]);

        Assert.NotEqual(0, noVideo.ExitCode);
        Assert.Contains("no video stream", noVideo.Stderr);
        Assert.Single(noVideo.Stderr.Trim().Split('\n'));
        Assert.NotEqual(0, badFace.ExitCode);
        Assert.Contains("--face 'tallest'", badFace.Stderr);
    }
}
