using Microsoft.Extensions.Logging;
using Pipeline.AudioFeatures;
using Pipeline.Contracts.Jobs;
using Pipeline.Encoding.Content;
using Pipeline.FaceTracking.Tracking;
using Pipeline.Features;
using Pipeline.Media;
using Pipeline.Motion.Stage;

namespace Pipeline.Cli.Eval;

/// <summary>
/// Runs the real stages on one clip for evaluation: face tracking on its video, audio features and viseme content
/// on its own sound track, then puts every tracked face into the canonical frame (pose removed), as the motion
/// stage sees faces.
/// </summary>
public sealed class ClipPreparer(MediaProber prober, FfmpegRunner runner, ContentEncoderOptions content, ILoggerFactory logs)
{
    public async Task<ClipData> PrepareAsync(string videoPath, string workFolder, CancellationToken ct)
    {
        var info = await prober.ProbeAsync(videoPath, ct);
        if (info.Video is null)
        {
            throw new CliException($"'{Path.GetFileName(videoPath)}' has no video stream: eval needs a talking-head video");
        }

        if (info.Audio is null)
        {
            throw new CliException($"'{Path.GetFileName(videoPath)}' has no audio: eval drives the clip with its own speech");
        }

        var rate = info.Video.ClockRate;
        var trackFolder = Path.Combine(workFolder, "track");
        var track = await new FaceTrackRunner(prober, runner, new FaceTrackerOptions(), logs.CreateLogger<FaceTrackRunner>())
            .RunAsync(videoPath, null, FaceSelection.Largest, trackFolder, null, ct);

        var speechFolder = Path.Combine(workFolder, "speech");
        var features = await FeatureExtraction.RunAsync(prober, runner, videoPath, rate.Numerator, rate.Denominator, speechFolder, null, ct);
        var frames = (int)Math.Min(track.Frames, features.Frames);
        var energy = NpyReader.Load<float>(Path.Combine(speechFolder, features.Files["energy"])).Data;
        var encoder = new ContentEncoder(runner, prober, content, logs.CreateLogger<ContentEncoder>());
        await encoder.EncodeAsync(videoPath, rate.Numerator, rate.Denominator, features.Frames, speechFolder, ContentEncoder.DefaultMethod, energy, ct);

        var visemes = NpyReader.Load<float>(Path.Combine(speechFolder, ContentSidecar.VisemesFile)).Data;
        var mfcc = NpyReader.Load<float>(Path.Combine(speechFolder, features.Files["mfcc"]));
        var vad = NpyReader.Load<byte>(Path.Combine(speechFolder, features.Files["vad"])).Data;
        var present = NpyReader.Load<byte>(Path.Combine(trackFolder, FaceTrackFiles.Present)).Data;
        var landmarks = NpyReader.Load<float>(Path.Combine(trackFolder, FaceTrackFiles.Landmarks)).Data;

        var canonical = CanonicalTrack.From(landmarks, present, frames);

        var mfccColumns = (int)mfcc.Info.RowElements;
        return new ClipData(
            Path.GetFileNameWithoutExtension(videoPath),
            frames,
            rate.Numerator / (double)rate.Denominator,
            canonical.Faces,
            canonical.Present,
            visemes.AsSpan(0, frames * Visemes.Count).ToArray(),
            mfcc.Data.AsSpan(0, frames * mfccColumns).ToArray(),
            energy.AsSpan(0, frames).ToArray(),
            vad.AsSpan(0, frames).ToArray(),
            track.Width,
            track.Height,
            canonical.ToCanonical);
    }
}
