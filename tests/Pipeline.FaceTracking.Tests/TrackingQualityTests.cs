using System.Globalization;
using System.Text;
using Pipeline.FaceTracking.Tracking;
using Pipeline.TestSupport;

namespace Pipeline.FaceTracking.Tests;

/// <summary>The tracker on every real talking-head video in the test data: found, steady, and never late.</summary>
public sealed class TrackingQualityTests
{
    [Fact]
    public async Task Every_real_video_has_a_face_in_98_percent_of_frames_less_jitter_and_no_mouth_lag()
    {
        var videos = TestData.RequireAll("video", "*.mp4");
        using var scratch = new ScratchDirectory("track-quality");
        var tools = new TrackingTools();
        var report = new StringBuilder("| video | frames | face frames | raw jitter | smoothed jitter | ratio | still frames | mouth lag | r |\n|---|---|---|---|---|---|---|---|---|\n");
        var failures = new List<string>();
        foreach (var video in videos)
        {
            var name = Path.GetFileNameWithoutExtension(video);
            var folder = scratch.File(name);
            var summary = await tools.TrackAsync(video, folder);
            var raw = TrackingTools.Floats(folder, FaceTrackFiles.LandmarksRaw);
            var smoothed = TrackingTools.Floats(folder, FaceTrackFiles.Landmarks);
            var q = TrackQuality.Measure(raw, smoothed, (int)summary.Frames);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {summary.Frames} | {summary.FaceFrames / (double)summary.Frames:P1} | {q.RawJitter:0.0000} | {q.SmoothedJitter:0.0000} | {q.JitterRatio:0.00} | {q.StillFrames} | {q.MouthLag} | {q.MouthCorrelation:0.000} |");
            if (summary.FaceFrames < 0.98 * summary.Frames)
            {
                failures.Add($"{name}: a face in only {summary.FaceFrames}/{summary.Frames} frames");
            }

            if (q.MouthLag != 0)
            {
                failures.Add($"{name}: smoothed mouth opening peaks at lag {q.MouthLag}");
            }

            if (!(q.SmoothedJitter < q.RawJitter))
            {
                failures.Add($"{name}: smoothing did not reduce jitter ({q.RawJitter} → {q.SmoothedJitter})");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "track-quality.md"), report.ToString());
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }
}
