using Pipeline.Encoding.Content;
using Pipeline.TestSupport;

namespace Pipeline.Encoding.Tests;

/// <summary>
/// Scores per-frame viseme posteriors against espeak-ng/mbrola phoneme timings.
/// Closure: every p/b/m phoneme (p_h too) is one instance; it is detected when PP is the argmax of at least one frame
/// overlapping its span widened by ±2 frames (or, for the threshold variant, when p(PP) ≥ 0.3 there).
/// Frame accuracy: argmax equals the ground-truth viseme at the frame centre, over all frames of the utterance.
/// PP precision: of the frames whose argmax is PP, the share inside some closure's ±2-frame window (a method that said
/// PP everywhere would detect every closure; this is what exposes it).
/// </summary>
internal sealed record ClosureScore(int Closures, int DetectedArgmax, int DetectedThreshold, int Frames, int CorrectFrames, int SpeechFrames, int CorrectSpeechFrames, int PpFrames, int PpFramesNearClosure)
{
    public const float Threshold = 0.3f;
    public const int ToleranceFrames = 2;

    public double ClosureRate => Closures == 0 ? 0 : DetectedArgmax / (double)Closures;

    public double ClosureRateThreshold => Closures == 0 ? 0 : DetectedThreshold / (double)Closures;

    public double FrameAccuracy => Frames == 0 ? 0 : CorrectFrames / (double)Frames;

    public double SpeechFrameAccuracy => SpeechFrames == 0 ? 0 : CorrectSpeechFrames / (double)SpeechFrames;

    public double PpPrecision => PpFrames == 0 ? 0 : PpFramesNearClosure / (double)PpFrames;

    public static ClosureScore operator +(ClosureScore a, ClosureScore b) => new(
        a.Closures + b.Closures, a.DetectedArgmax + b.DetectedArgmax, a.DetectedThreshold + b.DetectedThreshold,
        a.Frames + b.Frames, a.CorrectFrames + b.CorrectFrames, a.SpeechFrames + b.SpeechFrames, a.CorrectSpeechFrames + b.CorrectSpeechFrames,
        a.PpFrames + b.PpFrames, a.PpFramesNearClosure + b.PpFramesNearClosure);

    public static ClosureScore Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static bool IsBilabial(string sampa) => PhoneVisemeMap.FromSampa(sampa) == Visemes.PP;

    public static ClosureScore Score(float[] posteriors, int frames, double fps, IReadOnlyList<TimedPhoneme> truth)
    {
        int closures = 0, argmax = 0, threshold = 0;
        var nearClosure = new bool[frames];
        foreach (var p in truth.Where(p => IsBilabial(p.Phoneme)))
        {
            closures++;
            var first = Math.Max(0, (int)Math.Floor(p.StartSeconds * fps) - ToleranceFrames);
            var last = Math.Min(frames - 1, (int)Math.Ceiling(p.EndSeconds * fps) - 1 + ToleranceFrames);
            Array.Fill(nearClosure, true, first, Math.Max(0, last - first + 1));
            bool hitArgmax = false, hitThreshold = false;
            for (var f = first; f <= last; f++)
            {
                var row = posteriors.AsSpan(f * Visemes.Count, Visemes.Count);
                hitArgmax |= Best(row) == Visemes.PP;
                hitThreshold |= row[Visemes.PP] >= Threshold;
            }

            argmax += hitArgmax ? 1 : 0;
            threshold += hitThreshold ? 1 : 0;
        }

        int correct = 0, speech = 0, correctSpeech = 0, pp = 0, ppNear = 0;
        for (var f = 0; f < frames; f++)
        {
            var expected = TruthAt((f + 0.5) / fps, truth);
            var got = Best(posteriors.AsSpan(f * Visemes.Count, Visemes.Count));
            correct += got == expected ? 1 : 0;
            if (got == Visemes.PP)
            {
                pp++;
                ppNear += nearClosure[f] ? 1 : 0;
            }

            if (expected != Visemes.Sil)
            {
                speech++;
                correctSpeech += got == expected ? 1 : 0;
            }
        }

        return new ClosureScore(closures, argmax, threshold, frames, correct, speech, correctSpeech, pp, ppNear);
    }

    public static int TruthAt(double t, IReadOnlyList<TimedPhoneme> truth)
    {
        foreach (var p in truth)
        {
            if (t >= p.StartSeconds && t < p.EndSeconds)
            {
                var v = PhoneVisemeMap.FromSampa(p.Phoneme);
                return v < 0 ? Visemes.Sil : v;
            }
        }

        return Visemes.Sil;
    }

    public static int Best(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var v = 1; v < row.Length; v++)
        {
            if (row[v] > row[best])
            {
                best = v;
            }
        }

        return best;
    }

    public override string ToString() =>
        $"closures {DetectedArgmax}/{Closures} = {ClosureRate:P1} (p(PP)≥{Threshold}: {ClosureRateThreshold:P1}), " +
        $"PP precision {PpPrecision:P1} ({PpFrames} PP frames), frame accuracy {FrameAccuracy:P1} (speech frames {SpeechFrameAccuracy:P1}, n={Frames})";
}
