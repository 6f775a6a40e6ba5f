using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.FaceTracking.Tracking;
using Pipeline.TestSupport;

namespace Pipeline.FaceTracking.Tests;

/// <summary>Identity, selection, chunks and faceless video, on clips assembled from the real test videos.</summary>
public sealed class TrackingBehaviourTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("track-behaviour");
    private readonly TrackingTools _tools = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Identity_survives_a_cut_away_and_back()
    {
        // Person A (2 s), person B (2 s), person A again from later in the clip (2 s): two hard cuts.
        var a = TestData.Require("video/vox_00015.mp4");
        var b = TestData.Require("video/vox_00086.mp4");
        var clip = _scratch.File("a-b-a.mp4");
        Ffmpeg.Run("-i", a, "-i", b, "-filter_complex",
            "[0:v]trim=0:2,setpts=PTS-STARTPTS[a1];[1:v]trim=0:2,setpts=PTS-STARTPTS,scale=224:224[b];[0:v]trim=4:6,setpts=PTS-STARTPTS[a2];[a1][b][a2]concat=n=3:v=1:a=0[v]",
            "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-r", "25", clip);
        var folder = _scratch.File("track");

        var summary = await _tools.TrackAsync(clip, folder, new FaceSelection(FaceSelectionKind.All));

        Assert.Equal(2, summary.Cuts);
        Assert.Equal(2, summary.Identities);
        var ids = TrackingTools.Ints(folder, FaceTrackFiles.FaceId);
        var slots = summary.Slots;
        int IdAt(int frame) => Enumerable.Range(0, slots).Select(s => ids[(frame * slots) + s]).Single(i => i >= 0);
        Assert.Equal(IdAt(10), IdAt(130)); // A before and after B
        Assert.NotEqual(IdAt(10), IdAt(75)); // B is someone else
    }

    [Fact]
    public async Task Index_and_box_pick_the_face_asked_for_when_there_are_two()
    {
        // Two people side by side: A on the left, B on the right.
        var clip = _scratch.File("two.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00015.mp4"), "-i", TestData.Require("video/vox_00086.mp4"), "-filter_complex",
            "[0:v]trim=0:2,setpts=PTS-STARTPTS[l];[1:v]trim=0:2,setpts=PTS-STARTPTS,scale=224:224[r];[l][r]hstack=inputs=2[v]",
            "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-r", "25", clip);

        var left = await CentreXAsync(clip, "left", new FaceSelection(FaceSelectionKind.Index, Index: 0));
        var right = await CentreXAsync(clip, "right", new FaceSelection(FaceSelectionKind.Index, Index: 1));
        var boxed = await CentreXAsync(clip, "box", new FaceSelection(FaceSelectionKind.Box, Box: new BoundingBox(260, 20, 180, 180), AtSeconds: 1));

        Assert.InRange(left, 0, 224);
        Assert.InRange(right, 224, 448);
        Assert.InRange(boxed, 224, 448);
    }

    [Fact]
    public async Task A_chunk_has_exactly_its_frames_and_matches_the_whole_run()
    {
        var video = TestData.Require("video/retalk_2.mp4"); // 125 frames at 25 fps
        var whole = _scratch.File("whole");
        var part = _scratch.File("part");
        await _tools.TrackAsync(video, whole);

        var chunk = new ChunkRange(1, 50, 50, 2.0, 2.0);
        var summary = await _tools.TrackAsync(video, part, chunk: chunk);

        Assert.Equal(50, summary.Frames);
        var all = TrackingTools.Floats(whole, FaceTrackFiles.LandmarksRaw);
        var some = TrackingTools.Floats(part, FaceTrackFiles.LandmarksRaw);
        Assert.Equal(50 * 136, some.Length);
        // The same frames: the chunk's first detection box differs from the whole run's tracked box, so the points
        // differ a little, never by a frame's worth of motion.
        double sum = 0;
        for (var i = 0; i < some.Length; i++)
        {
            sum += Math.Abs(some[i] - all[(50 * 136) + i]);
        }

        var meanPx = sum / some.Length;
        Assert.True(meanPx < 3, $"chunk and whole run differ by {meanPx:0.00} px on average");
    }

    [Fact]
    public async Task A_video_without_a_face_is_all_absent_rows_not_an_error()
    {
        var clip = _scratch.File("noise.mp4");
        Ffmpeg.Run("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2", "-c:v", "libx264", "-preset", "ultrafast", clip);
        var folder = _scratch.File("track");

        var summary = await _tools.TrackAsync(clip, folder);

        Assert.Equal(50, summary.Frames);
        Assert.Equal(0, summary.FaceFrames);
        Assert.All(TrackingTools.Bytes(folder, FaceTrackFiles.Present), p => Assert.Equal(0, p));
        Assert.True(File.Exists(Path.Combine(folder, FaceTrackFiles.Sidecar)));
    }

    private async Task<double> CentreXAsync(string clip, string name, FaceSelection selection)
    {
        var folder = _scratch.File(name);
        var summary = await _tools.TrackAsync(clip, folder, selection);
        Assert.True(summary.FaceFrames >= 0.9 * summary.Frames, $"{name}: {summary.FaceFrames}/{summary.Frames}");
        var boxes = TrackingTools.Floats(folder, FaceTrackFiles.Boxes);
        var centres = Enumerable.Range(0, (int)summary.Frames).Select(f => (boxes[f * 4] + boxes[(f * 4) + 2]) / 2).Where(float.IsFinite).ToArray();
        return centres.Average();
    }
}
