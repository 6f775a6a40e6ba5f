using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipeline.FaceTracking.Tracking;

/// <summary>
/// Follows faces through a video, frame by frame. Detection (dlib HOG on a shrunken frame) runs every
/// <see cref="FaceTrackerOptions.DetectEvery"/> frames, at every shot cut, and whenever a face's tracking confidence
/// drops; landmarks run on every frame at full resolution, from a box placed by the previous frame's landmarks.
/// Identity survives cuts: a face found after a cut is matched to the faces seen before by its aligned appearance.
/// Not thread-safe (one dlib context): one tracker per video stream.
/// </summary>
public sealed class FaceTracker
{
    private readonly FaceLandmarker _dlib;
    private readonly FaceTrackerOptions _options;
    private readonly ILogger _logger;
    private readonly ShotCutDetector _cuts;
    private readonly List<FaceTrack> _tracks = [];
    private readonly float[] _xy = new float[136];
    private readonly float[] _appearance = new float[FaceAppearance.Length];
    private long _frame = -1;
    private long _lastDetection = long.MinValue / 2;

    public FaceTracker(FaceLandmarker dlib, FaceTrackerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dlib);
        _dlib = dlib;
        _options = options ?? new FaceTrackerOptions();
        _logger = logger ?? NullLogger.Instance;
        _cuts = new ShotCutDetector(_options.ShotCutThreshold);
    }

    /// <summary>Detector runs so far (for the report: detection is the expensive part).</summary>
    public long Detections { get; private set; }

    /// <summary>Shot cuts seen so far.</summary>
    public long Cuts { get; private set; }

    /// <summary>Distinct faces seen so far.</summary>
    public int Identities => _tracks.Count;

    /// <summary>True when the last frame began a new shot.</summary>
    public bool LastFrameWasCut { get; private set; }

    /// <summary>Tracks the next frame of the stream; returns the faces in it (empty when none).</summary>
    public IReadOnlyList<TrackedFace> Track(ReadOnlySpan<byte> rgb24, int width, int height, int stride)
    {
        _frame++;
        var cut = _cuts.IsCut(rgb24, width, height, stride);
        LastFrameWasCut = cut;
        if (cut)
        {
            Cuts++;
            foreach (var t in _tracks)
            {
                t.Active = false; // the picture changed: old boxes mean nothing; faces come back through detection
            }
        }

        var active = _tracks.Where(t => t.Active).ToList();
        var interval = active.Count == 0 ? _options.DetectEveryWithoutFace : _options.DetectEvery;
        // A drifting face asks for a detection, but not every frame: HOG misses turned heads, and landmarks often hold.
        var since = _frame - _lastDetection;
        var detect = cut || since >= interval || (since >= 2 && active.Any(t => t.Consistency < _options.MinConsistency));
        var refreshed = new HashSet<FaceTrack>();
        var faces = new List<TrackedFace>();
        if (detect)
        {
            _lastDetection = _frame;
            Detections++;
            foreach (var (track, box) in Associate(rgb24, width, height, stride, active))
            {
                PredictLandmarks(rgb24, width, height, stride, box, track.Landmarks);
                track.BoxModel.Learn(box, track.Landmarks);
                FaceAppearance.Describe(rgb24, width, height, stride, track.Landmarks, _appearance);
                track.UpdateAppearance(_appearance);
                track.Active = true;
                track.MissedDetections = 0;
                track.Confidence = 1;
                track.Consistency = 1;
                track.LastSeenFrame = _frame;
                refreshed.Add(track);
                faces.Add(new TrackedFace(track.Id, (float[])track.Landmarks.Clone(), box, 1, true));
            }

            foreach (var missed in active.Where(t => !refreshed.Contains(t)))
            {
                missed.MissedDetections++;
            }
        }

        foreach (var track in _tracks.Where(t => t.Active && !refreshed.Contains(t)))
        {
            var box = track.BoxModel.Predict(track.Landmarks);
            PredictLandmarks(rgb24, width, height, stride, box, _xy);
            var consistency = LandmarkBoxModel.IoU(box, track.BoxModel.Predict(_xy));
            // Gone when the landmarks no longer describe a face where they were asked to, or when detections have kept
            // missing it and the landmarks are drifting too.
            var drifting = consistency < _options.MinConsistency && track.MissedDetections > _options.MaxMissedDetections;
            if (consistency < _options.LostConsistency || drifting || !Inside(box, width, height))
            {
                track.Active = false;
                continue;
            }

            _xy.CopyTo(track.Landmarks, 0);
            track.Consistency = consistency;
            track.Confidence = consistency * Math.Pow(0.9, Math.Min(track.MissedDetections, 10));
            track.LastSeenFrame = _frame;
            faces.Add(new TrackedFace(track.Id, (float[])_xy.Clone(), box, track.Confidence, false));
        }

        return faces;
    }

    private void PredictLandmarks(ReadOnlySpan<byte> rgb24, int width, int height, int stride, FaceBox box, Span<float> xy) =>
        _dlib.Landmarks(rgb24, width, height, stride, box, xy);

    // Detections to tracks: same shot → the active track whose box overlaps most; otherwise a face seen before that
    // looks the same (after a cut, or back in view); otherwise a new identity.
    private List<(FaceTrack Track, FaceBox Box)> Associate(ReadOnlySpan<byte> rgb24, int width, int height, int stride, List<FaceTrack> active)
    {
        var downscale = Math.Clamp(Math.Min(width, height) / Math.Max(1, _options.DetectionShortSide), 1, FaceLandmarker.MaxDownscale);
        var detections = _dlib.Detect(rgb24, width, height, stride, upsample: 0, downscale: downscale)
            .OrderByDescending(d => d.Box.Width * d.Box.Height)
            .Take(_options.MaxFaces)
            .ToList();
        var pairs = new List<(FaceTrack, FaceBox)>();
        var taken = new HashSet<FaceTrack>();
        foreach (var d in detections)
        {
            var best = active.Where(t => !taken.Contains(t))
                .Select(t => (Track: t, IoU: LandmarkBoxModel.IoU(d.Box, t.BoxModel.Predict(t.Landmarks))))
                .Where(x => x.IoU >= 0.3)
                .OrderByDescending(x => x.IoU)
                .FirstOrDefault();
            var track = best.Track;
            if (track is null)
            {
                PredictLandmarks(rgb24, width, height, stride, d.Box, _xy);
                FaceAppearance.Describe(rgb24, width, height, stride, _xy, _appearance);
                track = _tracks.Where(t => !t.Active && !taken.Contains(t) && t.HasAppearance)
                    .Select(t => (Track: t, Similarity: FaceAppearance.Similarity(t.Appearance, _appearance)))
                    .Where(x => x.Similarity >= _options.SameFaceSimilarity)
                    .OrderByDescending(x => x.Similarity)
                    .FirstOrDefault().Track;
                if (track is null)
                {
                    track = new FaceTrack(_tracks.Count);
                    _tracks.Add(track);
                    _logger.LogDebug("frame {Frame}: new face {Id}", _frame, track.Id);
                }
                else
                {
                    _logger.LogDebug("frame {Frame}: face {Id} is back", _frame, track.Id);
                }

                _xy.CopyTo(track.Landmarks, 0);
            }

            taken.Add(track);
            pairs.Add((track, d.Box));
        }

        return pairs;
    }

    private static bool Inside(FaceBox box, int width, int height) =>
        box.Right > 0 && box.Bottom > 0 && box.Left < width && box.Top < height && box.Width >= 8;
}
