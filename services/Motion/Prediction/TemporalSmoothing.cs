using System.Buffers;
using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Prediction;

/// <summary>
/// Zero-phase smoothing of frame-major tracks (<c>channels</c> floats per frame), in place. All of them look
/// ahead as much as behind: a smoother that lags would make the mouth close late, which is the very lip-sync
/// error these models exist to avoid. Offline we always have the whole sequence, so looking ahead is free.
/// </summary>
public static class TemporalSmoothing
{
    public static void Apply(CoefficientSmoothing kind, Span<float> series, int frames, int channels, double fps)
    {
        switch (kind)
        {
            case CoefficientSmoothing.None:
                Require(series, frames, channels);
                break;
            case CoefficientSmoothing.ThreeTap:
                ThreeTap(series, frames, channels);
                break;
            case CoefficientSmoothing.OneEuro:
                Require(series, frames, channels);
                OneEuroFilter.SmoothZeroPhase(series, frames, channels, fps, OneEuroParameters.Mouth);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>y[t] = 0.25·x[t-1] + 0.5·x[t] + 0.25·x[t+1], the first and last frames repeated beyond the ends.</summary>
    public static void ThreeTap(Span<float> series, int frames, int channels)
    {
        Require(series, frames, channels);
        if (frames < 2)
        {
            return;
        }

        var rented = channels > 256 ? ArrayPool<float>.Shared.Rent(channels) : null;
        var previous = rented is null ? stackalloc float[channels] : rented.AsSpan(0, channels);
        try
        {
            series[..channels].CopyTo(previous);
            for (var f = 0; f < frames; f++)
            {
                var row = series.Slice(f * channels, channels);
                var next = series.Slice(Math.Min(f + 1, frames - 1) * channels, channels);
                for (var c = 0; c < channels; c++)
                {
                    // This frame's original is read before it is overwritten, and the next frame is still
                    // original (at the last frame "next" is the frame itself, read before the write).
                    var current = row[c];
                    row[c] = (0.25f * previous[c]) + (0.5f * current) + (0.25f * next[c]);
                    previous[c] = current;
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// First-order exponential low-pass with time constant <paramref name="tauSeconds"/>, run forward and
    /// backward and averaged: the impulse response is the symmetric exp(−|t|/τ), so it has no phase shift and,
    /// unlike running the passes in cascade, keeps a sharp peak at the centre.
    /// </summary>
    public static void Exponential(Span<float> series, int frames, int channels, double fps, double tauSeconds)
    {
        Require(series, frames, channels);
        if (!(fps > 0) || !double.IsFinite(fps))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "the frame rate must be positive");
        }

        if (frames < 2 || !(tauSeconds > 0))
        {
            return;
        }

        var alpha = (float)(1 - Math.Exp(-1 / (fps * tauSeconds)));
        var length = frames * channels;
        var forward = ArrayPool<float>.Shared.Rent(length);
        var state = ArrayPool<float>.Shared.Rent(channels);
        try
        {
            var s = state.AsSpan(0, channels);
            series[..channels].CopyTo(s);
            for (var f = 0; f < frames; f++)
            {
                var row = series.Slice(f * channels, channels);
                var fw = forward.AsSpan(f * channels, channels);
                for (var c = 0; c < channels; c++)
                {
                    s[c] += alpha * (row[c] - s[c]);
                    fw[c] = s[c];
                }
            }

            series.Slice((frames - 1) * channels, channels).CopyTo(s);
            for (var f = frames - 1; f >= 0; f--)
            {
                var row = series.Slice(f * channels, channels);
                var fw = forward.AsSpan(f * channels, channels);
                for (var c = 0; c < channels; c++)
                {
                    s[c] += alpha * (row[c] - s[c]);
                    row[c] = 0.5f * (s[c] + fw[c]);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(forward);
            ArrayPool<float>.Shared.Return(state);
        }
    }

    private static void Require(Span<float> series, int frames, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (series.Length < (long)frames * channels)
        {
            throw new ArgumentException($"{frames} frames of {channels} channels need {(long)frames * channels} floats, got {series.Length}", nameof(series));
        }
    }
}
