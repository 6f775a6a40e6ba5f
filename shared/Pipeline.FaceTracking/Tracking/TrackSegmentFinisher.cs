using Pipeline.Contracts.Jobs;
using Pipeline.FaceGeometry;

namespace Pipeline.FaceTracking.Tracking;

/// <summary>
/// Turns a buffered run of tracked frames into artifact rows: applies the face selection, smooths each selected
/// face over its unbroken runs, then computes per frame the similarity to the canonical face and the 3D head pose
/// from the smoothed landmarks.
/// </summary>
public sealed class TrackSegmentFinisher(FaceSelection selection, double fps, int width, int height, FaceTrackerOptions options)
{
    private readonly HeadPoseEstimator _pose = new();
    private readonly float[] _normalised = new float[136];
    private readonly float[] _pose6 = new float[6];
    private readonly float[] _similarity4 = new float[4];

    public OneEuroParameters Stable { get; init; } = OneEuroParameters.Stable;

    public OneEuroParameters Mouth { get; init; } = OneEuroParameters.Mouth;

    /// <summary>Frames in which at least one slot holds a face.</summary>
    public long FaceFrames { get; private set; }

    public void Finish(IReadOnlyList<TrackedFrame> frames, FaceTrackWriter writer)
    {
        var slots = writer.Slots;
        var chosen = FaceSelector.Select(frames, selection, fps, options.MaxFaces);
        var smoothed = new float[frames.Count * slots * 136];
        for (var slot = 0; slot < slots; slot++)
        {
            SmoothSlot(frames, chosen, slot, slots, smoothed);
        }

        for (var i = 0; i < frames.Count; i++)
        {
            writer.Clear();
            var any = false;
            for (var slot = 0; slot < slots; slot++)
            {
                var k = chosen[i][slot];
                if (k < 0)
                {
                    continue;
                }

                var face = frames[i].Faces[k];
                var points = smoothed.AsSpan(((i * slots) + slot) * 136, 136);
                Describe(points);
                writer.SetSlot(slot, face.Id, face.Box, points, face.Landmarks, _pose6, _similarity4, (float)face.Confidence);
                any = true;
            }

            FaceFrames += any ? 1 : 0;
            writer.Commit();
        }
    }

    // Each maximal run of frames where the slot holds the same face with no cut between is smoothed on its own.
    private void SmoothSlot(IReadOnlyList<TrackedFrame> frames, int[][] chosen, int slot, int slots, float[] smoothed)
    {
        var i = 0;
        while (i < frames.Count)
        {
            if (chosen[i][slot] < 0)
            {
                i++;
                continue;
            }

            var id = frames[i].Faces[chosen[i][slot]].Id;
            var end = i + 1;
            while (end < frames.Count && chosen[end][slot] >= 0 && !frames[end].Cut && frames[end].Faces[chosen[end][slot]].Id == id)
            {
                end++;
            }

            var run = new float[(end - i) * 136];
            for (var f = i; f < end; f++)
            {
                frames[f].Faces[chosen[f][slot]].Landmarks.CopyTo(run, (f - i) * 136);
            }

            TrackSmoothing.Smooth(run, end - i, fps, Stable, Mouth);
            for (var f = i; f < end; f++)
            {
                run.AsSpan((f - i) * 136, 136).CopyTo(smoothed.AsSpan(((f * slots) + slot) * 136, 136));
            }

            i = end;
        }
    }

    private void Describe(ReadOnlySpan<float> points)
    {
        var toCanonical = CanonicalFace.Normalise(points, _normalised);
        _similarity4[0] = (float)toCanonical.Scale;
        _similarity4[1] = (float)toCanonical.RotationRadians;
        _similarity4[2] = (float)toCanonical.Tx;
        _similarity4[3] = (float)toCanonical.Ty;
        var pose = _pose.Estimate(points, width, height);
        _pose6[0] = (float)pose.YawDegrees;
        _pose6[1] = (float)pose.PitchDegrees;
        _pose6[2] = (float)pose.RollDegrees;
        _pose6[3] = (float)pose.TranslationX;
        _pose6[4] = (float)pose.TranslationY;
        _pose6[5] = (float)pose.TranslationZ;
    }
}
