using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.FaceTracking.Tracking;
using Pipeline.Features;
using Pipeline.Media;

namespace Pipeline.FaceTracking.Tests;

/// <summary>The tracker wired as the stage wires it, and readers for what it writes.</summary>
internal sealed class TrackingTools
{
    public TrackingTools(FaceTrackerOptions? options = null)
    {
        var media = new MediaToolOptions { ProcessTimeout = TimeSpan.FromSeconds(120), StopGrace = TimeSpan.FromSeconds(2) };
        Runner = new FfmpegRunner(media);
        Prober = new MediaProber(Runner);
        Tracker = new FaceTrackRunner(Prober, Runner, options);
    }

    public FfmpegRunner Runner { get; }

    public MediaProber Prober { get; }

    public FaceTrackRunner Tracker { get; }

    public Task<FaceTrackSummary> TrackAsync(string video, string folder, FaceSelection? selection = null, ChunkRange? chunk = null) =>
        Tracker.RunAsync(video, chunk, selection ?? FaceSelection.Largest, folder, null, TestContext.Current.CancellationToken);

    public static float[] Floats(string folder, string file) => NpyReader.Load<float>(Path.Combine(folder, file)).Data;

    public static int[] Ints(string folder, string file) => NpyReader.Load<int>(Path.Combine(folder, file)).Data;

    public static byte[] Bytes(string folder, string file) => NpyReader.Load<byte>(Path.Combine(folder, file)).Data;
}
