using System.Buffers;

namespace Pipeline.FaceGeometry;

/// <summary>
/// The One Euro filter (Casiez, Roussel and Vogel, "1€ Filter: A Simple Speed-based Low-pass Filter for
/// Noisy Input in Interactive Systems", CHI 2012) over a vector of independent channels, e.g. the 136
/// coordinates of a face. Causal: use it for live streams; offline, prefer <see cref="SmoothZeroPhase(Span{float}, int, int, double, OneEuroParameters)"/>.
/// </summary>
/// <remarks>State is per channel and preallocated; <see cref="Filter"/> allocates nothing.</remarks>
public sealed class OneEuroFilter
{
    private readonly OneEuroParameters[] _parameters;
    private readonly double[] _value;
    private readonly double[] _speed;
    private double _lastTime;
    private bool _started;

    public OneEuroFilter(int channels, OneEuroParameters parameters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        parameters.Validate(nameof(parameters));
        _parameters = new OneEuroParameters[channels];
        Array.Fill(_parameters, parameters);
        _value = new double[channels];
        _speed = new double[channels];
    }

    /// <summary>One parameter set per channel (see <see cref="OneEuroParameters.ForLandmarks68"/>).</summary>
    public OneEuroFilter(ReadOnlySpan<OneEuroParameters> perChannel)
    {
        if (perChannel.IsEmpty)
        {
            throw new ArgumentException("at least one channel", nameof(perChannel));
        }

        foreach (var p in perChannel)
        {
            p.Validate(nameof(perChannel));
        }

        _parameters = perChannel.ToArray();
        _value = new double[perChannel.Length];
        _speed = new double[perChannel.Length];
    }

    public int Channels => _parameters.Length;

    /// <summary>Forgets the history: the next sample passes through unchanged.</summary>
    public void Reset() => _started = false;

    /// <summary>
    /// Filters one sample of every channel. Timestamps (seconds) must increase; they need not be evenly
    /// spaced, which is what makes the filter right for variable-frame-rate video.
    /// </summary>
    public void Filter(ReadOnlySpan<float> input, double timestampSeconds, Span<float> output)
    {
        if (input.Length != Channels || output.Length < Channels)
        {
            throw new ArgumentException($"expected {Channels} channels in and out, got {input.Length} and {output.Length}", nameof(input));
        }

        if (!_started)
        {
            for (var c = 0; c < Channels; c++)
            {
                _value[c] = input[c];
                _speed[c] = 0;
                output[c] = input[c];
            }

            _lastTime = timestampSeconds;
            _started = true;
            return;
        }

        var dt = timestampSeconds - _lastTime;
        if (!(dt > 0))
        {
            throw new ArgumentException($"timestamps must increase: {timestampSeconds} after {_lastTime}", nameof(timestampSeconds));
        }

        _lastTime = timestampSeconds;
        Step(input, output, 1 / dt, _parameters, _value, _speed);
    }

    /// <summary>
    /// Smooths a whole buffer of frames (frame-major: <paramref name="channels"/> floats per frame) without
    /// lag: the filter runs forward, then backward from the last frame, and the two passes are averaged.
    /// </summary>
    /// <remarks>
    /// Why zero-phase: a causal low-pass always delays its output, by several frames at the cutoffs that
    /// remove landmark jitter, and a mouth that closes late is exactly the lip-sync error we exist to avoid.
    /// The tracker has the whole chunk before it smooths, so it can look ahead. The forward pass lags by as
    /// much as the backward pass leads, and for a linear first-order low-pass their average has the real,
    /// non-negative frequency response Re H(ω) = |H(ω)|²: no phase shift at any frequency, the same
    /// attenuation as filtering twice. The One Euro's adaptive cutoff makes it only nearly linear, so the
    /// cancellation is nearly, not exactly, perfect.
    /// </remarks>
    public static void SmoothZeroPhase(Span<float> series, int frames, int channels, double fps, OneEuroParameters p)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        p.Validate(nameof(p));
        var perChannel = ArrayPool<OneEuroParameters>.Shared.Rent(channels);
        try
        {
            perChannel.AsSpan(0, channels).Fill(p);
            SmoothZeroPhase(series, frames, fps, perChannel.AsSpan(0, channels));
        }
        finally
        {
            ArrayPool<OneEuroParameters>.Shared.Return(perChannel);
        }
    }

    /// <summary>As the other overload, with a parameter set per channel (its length is the channel count).</summary>
    public static void SmoothZeroPhase(Span<float> series, int frames, double fps, ReadOnlySpan<OneEuroParameters> perChannel)
    {
        var channels = perChannel.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (channels == 0 || series.Length < (long)frames * channels)
        {
            throw new ArgumentException($"{frames} frames of {channels} channels need {(long)frames * channels} floats, got {series.Length}", nameof(series));
        }

        if (!(fps > 0) || !double.IsFinite(fps))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "the frame rate must be positive");
        }

        foreach (var p in perChannel)
        {
            p.Validate(nameof(perChannel));
        }

        if (frames < 2)
        {
            return;
        }

        var length = frames * channels;
        var forward = ArrayPool<float>.Shared.Rent(length);
        var state = ArrayPool<double>.Shared.Rent(2 * channels);
        try
        {
            var value = state.AsSpan(0, channels);
            var speed = state.AsSpan(channels, channels);

            series[..channels].CopyTo(forward);
            Seed(series[..channels], value, speed);
            for (var f = 1; f < frames; f++)
            {
                Step(series.Slice(f * channels, channels), forward.AsSpan(f * channels, channels), fps, perChannel, value, speed);
            }

            // Backward pass in place: frame f's input is read before its slot is overwritten with the average.
            var last = (frames - 1) * channels;
            Seed(series.Slice(last, channels), value, speed);
            Average(series.Slice(last, channels), forward.AsSpan(last, channels));
            for (var f = frames - 2; f >= 0; f--)
            {
                var slot = series.Slice(f * channels, channels);
                Step(slot, slot, fps, perChannel, value, speed);
                Average(slot, forward.AsSpan(f * channels, channels));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(forward);
            ArrayPool<double>.Shared.Return(state);
        }
    }

    private static void Seed(ReadOnlySpan<float> first, Span<double> value, Span<double> speed)
    {
        for (var c = 0; c < value.Length; c++)
        {
            value[c] = first[c];
            speed[c] = 0;
        }
    }

    private static void Average(Span<float> backward, ReadOnlySpan<float> forward)
    {
        for (var c = 0; c < backward.Length; c++)
        {
            backward[c] = 0.5f * (backward[c] + forward[c]);
        }
    }

    /// <summary>
    /// One step of the paper's algorithm per channel. The speed is measured against the previous filtered
    /// value (as in the paper), then low-passed at the derivative cutoff; its magnitude raises the cutoff
    /// for the value. <paramref name="output"/> may be <paramref name="input"/>.
    /// </summary>
    private static void Step(
        ReadOnlySpan<float> input,
        Span<float> output,
        double rate,
        ReadOnlySpan<OneEuroParameters> parameters,
        Span<double> value,
        Span<double> speed)
    {
        for (var c = 0; c < value.Length; c++)
        {
            var p = parameters[c];
            double x = input[c];
            var rawSpeed = (x - value[c]) * rate;
            var s = speed[c] + Alpha(rate, p.DerivativeCutoffHz) * (rawSpeed - speed[c]);
            speed[c] = s;
            var cutoff = p.MinCutoffHz + p.Beta * Math.Abs(s);
            var v = value[c] + Alpha(rate, cutoff) * (x - value[c]);
            value[c] = v;
            output[c] = (float)v;
        }
    }

    /// <summary>Smoothing factor of an exponential low-pass with the given cutoff at the given sample rate.</summary>
    private static double Alpha(double rate, double cutoffHz) => 1 / (1 + rate / (2 * Math.PI * cutoffHz));
}
