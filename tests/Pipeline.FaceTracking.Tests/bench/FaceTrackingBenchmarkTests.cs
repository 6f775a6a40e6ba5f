using System.Diagnostics;
using Pipeline.TestSupport;

namespace Pipeline.FaceTracking.Tests.Bench;

/// <summary>
/// The speed benchmark, not a test: explicit only, run by bench/run.sh (Release build, pinned to one core).
/// A real 1080p talking-head frame (MEAD M030) and the same frame scaled to 720p by ffmpeg; every
/// figure is the median (with 10th and 90th percentiles) of single-threaded calls after a warm-up.
/// </summary>
public sealed class FaceTrackingBenchmarkTests
{
    private const string Video = "video/mead_m030_sad_1080p.mp4";
    private const int Runs = 31;

    [Fact(Explicit = true)]
    public void Detection_and_landmarks_at_720p_and_1080p()
    {
        var path = TestData.Require(Video);
        var frame1080 = RgbFrame.Decode(path);
        var frame720 = RgbFrame.Decode(path, 1280, 720);
        var frame360 = RgbFrame.Decode(path, 640, 360);
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"processors visible: {Environment.ProcessorCount}; {Runs} runs each");
        using var landmarker = new FaceLandmarker(DlibTestFiles.ShapePredictor());

        foreach (var downscale in new[] { 1, 2, 4 })
        {
            var faces = landmarker.Detect(frame720.Pixels, 1280, 720, frame720.Stride, downscale: downscale);
            var time = Measure(() => landmarker.Detect(frame720.Pixels, 1280, 720, frame720.Stride, downscale: downscale));
            output?.WriteLine($"detect 720p, downscale {downscale} in the call (grayscale + box filter + HOG, upsample 0): {time}; faces {faces.Count}");
        }

        var preScaled = Measure(() => landmarker.Detect(frame360.Pixels, 640, 360, frame360.Stride));
        output?.WriteLine($"detect on a 640x360 frame scaled beforehand by ffmpeg (HOG only): {preScaled}");

        var xy = new float[2 * landmarker.PartCount];
        foreach (var frame in new[] { frame720, frame1080 })
        {
            var face = Assert.Single(landmarker.Detect(frame.Pixels, frame.Width, frame.Height, frame.Stride, downscale: 2));
            var time = Measure(() => landmarker.Landmarks(frame.Pixels, frame.Width, frame.Height, frame.Stride, face.Box, xy), runs: 101);
            output?.WriteLine($"landmarks {frame.Height}p, one face of {face.Box.Width:F0} px: {time}");
        }
    }

    private static string Measure(Action action, int runs = Runs)
    {
        for (var i = 0; i < 3; i++)
        {
            action();
        }

        var ms = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(ms);
        return $"median {ms[runs / 2]:F2} ms (p10 {ms[runs / 10]:F2}, p90 {ms[runs * 9 / 10]:F2})";
    }
}
