using System.Numerics;
using System.Runtime.InteropServices;

namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// YIN (de Cheveigné and Kawahara, 2002) on one analysis frame: squared-difference function over a 25 ms
/// integration window, cumulative-mean normalisation, absolute threshold with descent to the local minimum,
/// and parabolic interpolation. Voicing confidence is 1 - d'(T), the periodic share of the frame's energy.
/// </summary>
public sealed class YinPitch
{
    public const int SampleRate = 16000;
    public const int IntegrationWindow = 400;
    public const double MinF0 = 60;
    public const double MaxF0 = 600;

    /// <summary>YIN's absolute threshold on d' for picking the first dip (the paper's 0.1-0.15).</summary>
    public const float Threshold = 0.15f;

    /// <summary>d' at the chosen lag must be below this for the frame to count as voiced.</summary>
    public const float VoicedAperiodicity = 0.25f;

    /// <summary>Frames quieter than this are unvoiced whatever their periodicity (hum, dither, fades).</summary>
    public const float MinVoicedDbfs = -60;

    public const int MaxLag = (int)(SampleRate / MinF0);
    public const int MinLag = (int)(SampleRate / MaxF0);

    /// <summary>Samples one frame needs: the integration window plus the longest lag.</summary>
    public const int FrameLength = IntegrationWindow + MaxLag + 1;

    private readonly float[] _diff = new float[MaxLag + 2];
    private readonly float[] _normalised = new float[MaxLag + 2];

    /// <summary>Estimates F0 (0 when unvoiced) and voicing confidence (0..1) from <see cref="FrameLength"/> samples.</summary>
    public (float F0, float Confidence) Estimate(ReadOnlySpan<float> frame, float meanSquareDbfs)
    {
        if (frame.Length != FrameLength)
        {
            throw new ArgumentException($"a YIN frame is {FrameLength} samples", nameof(frame));
        }

        var window = frame[..IntegrationWindow];
        for (var tau = 1; tau <= MaxLag + 1; tau++)
        {
            _diff[tau] = SquaredDifference(window, frame.Slice(tau, IntegrationWindow));
        }

        // Cumulative mean normalised difference; d'(tau) = 1 where everything so far is zero (digital silence).
        _normalised[0] = 1;
        var running = 0.0;
        for (var tau = 1; tau <= MaxLag + 1; tau++)
        {
            running += _diff[tau];
            _normalised[tau] = running > 0 ? (float)(_diff[tau] * tau / running) : 1f;
        }

        var best = -1;
        for (var tau = MinLag; tau <= MaxLag; tau++)
        {
            if (_normalised[tau] < Threshold)
            {
                while (tau + 1 <= MaxLag && _normalised[tau + 1] < _normalised[tau])
                {
                    tau++;
                }

                best = tau;
                break;
            }
        }

        if (best < 0)
        {
            best = MinLag;
            for (var tau = MinLag + 1; tau <= MaxLag; tau++)
            {
                if (_normalised[tau] < _normalised[best])
                {
                    best = tau;
                }
            }
        }

        var aperiodicity = _normalised[best];
        var confidence = Math.Clamp(1f - aperiodicity, 0f, 1f);
        if (aperiodicity >= VoicedAperiodicity || meanSquareDbfs < MinVoicedDbfs)
        {
            return (0f, confidence);
        }

        // Parabolic interpolation of d' around the minimum for sub-sample period accuracy.
        double period = best;
        if (best > 1 && best < MaxLag + 1)
        {
            double a = _normalised[best - 1], b = _normalised[best], c = _normalised[best + 1];
            var denominator = a - (2 * b) + c;
            if (denominator > 0)
            {
                period += Math.Clamp(0.5 * (a - c) / denominator, -0.5, 0.5);
            }
        }

        return ((float)(SampleRate / period), confidence);
    }

    private static float SquaredDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        for (var i = 0; i < va.Length; i++)
        {
            var d = va[i] - vb[i];
            sum += d * d;
        }

        var total = Vector.Sum(sum);
        for (var i = va.Length * Vector<float>.Count; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            total += d * d;
        }

        return total;
    }
}
