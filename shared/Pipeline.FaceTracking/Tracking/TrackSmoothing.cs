using Pipeline.FaceGeometry;

namespace Pipeline.FaceTracking.Tracking;

/// <summary>
/// Temporal smoothing of one face's landmarks over a run of consecutive frames (a shot, or until the face is lost):
/// the zero-phase One Euro filter, with the mouth and lower jaw allowed to move fast and the rest held steady.
/// Zero-phase because the tracker has the whole run in hand: a causal filter would make the mouth close late.
/// </summary>
public static class TrackSmoothing
{
    /// <param name="series">[frames, 136] pixel landmarks, smoothed in place.</param>
    public static void Smooth(Span<float> series, int frames, double fps, OneEuroParameters stable, OneEuroParameters mouth)
    {
        if (frames < 3)
        {
            return;
        }

        // The presets are in inter-ocular units; the run is in pixels at this face's size.
        var iods = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            iods[f] = Math.Max(1.0, Landmarks68.InterOcular(series.Slice(f * 136, 136)));
        }

        Array.Sort(iods);
        var scale = iods[frames / 2];
        var parameters = OneEuroParameters.ForLandmarks68(stable.ForScale(scale), mouth.ForScale(scale));
        OneEuroFilter.SmoothZeroPhase(series, frames, fps, parameters);
    }
}
