using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Features;
using Pipeline.Media;

namespace Pipeline.FaceTracking.Tracking;

/// <summary>
/// Tracks faces over a video or one chunk of it (a frame range) and writes the face-track artifact into a folder.
/// Frames stream through: the tracker sees each once, and rows are finished a segment at a time (selection and
/// smoothing need to see a stretch of frames), so memory is bounded by the segment, not the video.
/// </summary>
public sealed class FaceTrackRunner(MediaProber prober, FfmpegRunner runner, FaceTrackerOptions? options = null, ILogger? logger = null)
{
    /// <summary>Frames finished together; smoothing restarts at segment edges, so keep it long.</summary>
    public const int SegmentFrames = 1800;

    private readonly FaceTrackerOptions _options = options ?? new FaceTrackerOptions();
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <param name="chunk">The frame range to track; null = the whole video.</param>
    public async Task<FaceTrackSummary> RunAsync(string videoPath, ChunkRange? chunk, FaceSelection selection, string outputFolder, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var info = await prober.ProbeAsync(videoPath, ct).ConfigureAwait(false);
        var video = info.Video ?? throw new MediaException(MediaErrorKind.NoVideoStream, $"{Path.GetFileName(info.Path)} has no video stream: give a video with a face", info.Path);
        var rate = video.ClockRate;
        var fps = rate.Numerator / (double)rate.Denominator;
        var expected = chunk?.FrameCount ?? info.ToSummary().FrameCount;
        var decode = chunk is null
            ? new VideoDecodeOptions()
            : VideoDecodeOptions.ForFrames(rate, chunk.StartFrame, chunk.FrameCount);

        using var dlib = new FaceLandmarker();
        var tracker = new FaceTracker(dlib, _options, _logger);
        await using var reader = await VideoFrameReader.OpenAsync(prober, runner, videoPath, decode, ct).ConfigureAwait(false);
        var (width, height) = (reader.Width, reader.Height);
        var slots = FaceSelector.Slots(selection, _options.MaxFaces);
        var finisher = new TrackSegmentFinisher(selection, fps, width, height, _options);
        var frame = new byte[reader.FrameBytes];
        var segment = new List<TrackedFrame>(SegmentFrames);
        var tracking = new Stopwatch();
        var decoding = new Stopwatch();
        long frames = 0;
        using (var writer = new FaceTrackWriter(outputFolder, slots))
        {
            while (chunk is null || frames < chunk.FrameCount)
            {
                decoding.Start();
                var got = await reader.ReadFrameAsync(frame, ct).ConfigureAwait(false);
                decoding.Stop();
                if (!got)
                {
                    break;
                }

                tracking.Start();
                var faces = tracker.Track(frame, width, height, width * 3);
                segment.Add(new TrackedFrame(frames, tracker.LastFrameWasCut, faces));
                if (segment.Count == SegmentFrames)
                {
                    finisher.Finish(segment, writer);
                    segment.Clear();
                }

                tracking.Stop();
                frames++;
                if (expected > 0 && frames % 25 == 0)
                {
                    progress?.Report(Math.Min(1.0, frames / (double)expected));
                }
            }

            tracking.Start();
            finisher.Finish(segment, writer);
            tracking.Stop();

            // A chunk always has the rows it was asked for: frames the decoder did not deliver (a short last chunk,
            // a truncated file) are rows with no face, so chunks concatenate onto the video's clock.
            for (; chunk is not null && frames < chunk.FrameCount; frames++)
            {
                writer.Clear();
                writer.Commit();
            }
        }

        var summary = new FaceTrackSummary(frames, finisher.FaceFrames, slots, tracker.Identities, tracker.Detections, tracker.Cuts, width, height, fps,
            tracking.Elapsed.TotalSeconds, decoding.Elapsed.TotalSeconds);
        await WriteSidecarAsync(outputFolder, summary, rate, chunk?.StartFrame ?? 0, selection, ct).ConfigureAwait(false);
        _logger.LogInformation(
            "face tracking: {FaceFrames}/{Frames} frames with a face, {Identities} face(s), {Detections} detections, {Cuts} cuts; {Fps:0} fps tracking, decode {Decode:0.00} s",
            summary.FaceFrames, summary.Frames, summary.Identities, summary.Detections, summary.Cuts, summary.TrackingFps, summary.DecodeSeconds);
        return summary;
    }

    private Task WriteSidecarAsync(string folder, FaceTrackSummary s, Rational rate, long firstFrame, FaceSelection selection, CancellationToken ct)
    {
        var clock = new FeatureClock(rate.Numerator, rate.Denominator, s.Fps, s.Frames,
            "row i is frame first_frame + i of the video, covering [(first_frame+i)/rate, (first_frame+i+1)/rate) seconds", "the frame", "the chunk's frame count");
        var parameters = new Dictionary<string, object>
        {
            ["detect_every"] = _options.DetectEvery,
            ["detect_every_without_face"] = _options.DetectEveryWithoutFace,
            ["detection_short_side"] = _options.DetectionShortSide,
            ["min_consistency"] = _options.MinConsistency,
            ["shot_cut_threshold"] = _options.ShotCutThreshold,
            ["same_face_similarity"] = _options.SameFaceSimilarity,
            ["max_faces"] = _options.MaxFaces,
            ["smoothing"] = "zero-phase One Euro, mouth and lower jaw: min cutoff 2 Hz, beta 60/IOD; elsewhere 1 Hz, 5/IOD",
            ["landmark_model"] = "dlib shape_predictor_68_face_landmarks.dat (iBUG 300-W)",
        };
        var sidecar = new FaceTrackSidecar(FaceTrackSidecar.FormatName, FaceTrackSidecar.CurrentSchemaVersion, clock, firstFrame, s.Width, s.Height, s.Slots,
            Describe(selection), FaceTrackSidecar.Describe(s.Frames, s.Slots), new FaceTrackCounts(s.Frames, s.FaceFrames, s.Identities, s.Detections, s.Cuts),
            parameters, ["frames without a face are flagged (present = 0) and pass through later stages untouched"]);
        return FaceTrackSidecar.WriteAsync(Path.Combine(folder, FaceTrackFiles.Sidecar), sidecar, ct);
    }

    private static string Describe(FaceSelection s) => s.Kind switch
    {
        FaceSelectionKind.Index => $"index {s.Index ?? 0}",
        FaceSelectionKind.Box when s.Box is { } b => $"box {b.X},{b.Y},{b.Width}x{b.Height} at {s.AtSeconds ?? 0:0.###} s",
        _ => s.Kind.ToString().ToLowerInvariant(),
    };
}
