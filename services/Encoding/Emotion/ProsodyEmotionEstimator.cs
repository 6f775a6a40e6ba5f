using Pipeline.Contracts.Jobs;

namespace Pipeline.Encoding.Emotion;

/// <summary>
/// Emotion from prosody, deliberately modest: arousal is the one dimension prosody predicts reliably (loudness,
/// pitch height and pitch movement rise with it), valence is not, so valence stays 0 and the class distribution only
/// says "more or less aroused than neutral". Per frame, over a centred ~1 s window of speech frames:
///   arousal = tanh( (meanEnergyDb + 30) / 10 · 0.6 + log2(medianF0 / 150) · 0.8 + (f0 semitone spread − 2) / 4 · 0.6 )
/// (reference: conversational speech around −30 dBFS, 150 Hz, 2 semitones spread → 0). Frames without speech in the
/// window decay to neutral. Intensity = |arousal|; classes: neutral 1 − intensity, the rest shared evenly by the
/// high-arousal classes (happy, surprised, fearful, angry) when arousal &gt; 0, or given to sad when arousal &lt; 0.
/// </summary>
public static class ProsodyEmotionEstimator
{
    public const double SpeechFloorDbfs = -50;
    public const double WindowSeconds = 1.0;

    private static readonly EmotionLabel[] HighArousal = [EmotionLabel.Happy, EmotionLabel.Surprised, EmotionLabel.Fearful, EmotionLabel.Angry];

    /// <summary>Fills <paramref name="rows"/> ([n, 11]) for frames firstFrame .. firstFrame + n - 1 of the clip.</summary>
    /// <param name="energyDbfs">The whole clip's per-frame energy (one float per frame: small even for hours).</param>
    public static void Estimate(ReadOnlySpan<float> energyDbfs, ReadOnlySpan<float> f0Hz, double fps, Span<float> rows, long firstFrame = 0)
    {
        var frames = energyDbfs.Length;
        var count = rows.Length / EmotionVector.Length;
        if (f0Hz.Length != frames || firstFrame < 0 || firstFrame + count > frames)
        {
            throw new ArgumentException($"energy ({energyDbfs.Length}) and f0 ({f0Hz.Length}) must have one value per frame, covering frames {firstFrame}..{firstFrame + count}");
        }

        var half = Math.Max(1, (int)Math.Round(WindowSeconds * fps / 2));
        Span<float> voiced = stackalloc float[(2 * half) + 1];
        for (var local = 0; local < count; local++)
        {
            var f = (int)firstFrame + local;
            var row = rows.Slice(local * EmotionVector.Length, EmotionVector.Length);
            row.Clear();
            int lo = Math.Max(0, f - half), hi = Math.Min(frames - 1, f + half);
            double energy = 0;
            var speech = 0;
            var n = 0;
            for (var i = lo; i <= hi; i++)
            {
                if (energyDbfs[i] > SpeechFloorDbfs)
                {
                    energy += energyDbfs[i];
                    speech++;
                    if (f0Hz[i] > 0)
                    {
                        voiced[n++] = Semitones(f0Hz[i]);
                    }
                }
            }

            double arousal = 0;
            if (speech > 0)
            {
                var z = ((energy / speech) + 30) / 10 * 0.6;
                if (n > 0)
                {
                    var pitch = voiced[..n];
                    pitch.Sort();
                    var median = pitch[n / 2];
                    var spread = pitch[(int)(0.9 * (n - 1))] - pitch[(int)(0.1 * (n - 1))];
                    z += (median / 12.0 * 0.8) + ((spread - 2) / 4.0 * 0.6);
                }

                // Half a window of speech is full evidence; less fades the estimate towards neutral.
                arousal = Math.Tanh(z) * Math.Min(1.0, speech / (double)half);
            }

            var intensity = (float)Math.Abs(arousal);
            row[(int)EmotionLabel.Neutral] = 1 - intensity;
            if (arousal > 0)
            {
                foreach (var label in HighArousal)
                {
                    row[(int)label] = intensity / HighArousal.Length;
                }
            }
            else
            {
                row[(int)EmotionLabel.Sad] += intensity;
            }

            row[EmotionVector.Intensity] = intensity;
            row[EmotionVector.Arousal] = (float)arousal;
            row[EmotionVector.Valence] = 0f;
        }
    }

    private static float Semitones(float hz) => (float)(12 * Math.Log2(hz / 150.0));
}
