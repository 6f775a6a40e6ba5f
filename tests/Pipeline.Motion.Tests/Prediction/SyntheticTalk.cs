using Pipeline.FaceGeometry;
using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

/// <summary>
/// A synthetic talking clip: a syllable-rate mouth opening o(t) in speech segments with pauses between them,
/// audio-side arrays that carry o(t) through noise (aa posterior, MFCC c1, energy), and canonical faces whose
/// jaw and lower lip drop linearly with o(t), plus a lip-spreading factor that no feature predicts and
/// landmark noise. Deterministic for a given seed.
/// </summary>
internal sealed class SyntheticTalk
{
    public const double Fps = 25;

    /// <summary>Jaw and lower-lip drop at o = 1, in IOD.</summary>
    public const float MaxDrop = 0.18f;

    public SyntheticTalk(int frames, int seed, double speechFraction = 0.8)
    {
        Frames = frames;
        var rng = new Random(seed);
        Opening = new float[frames];
        Voiced = new byte[frames];
        Usable = new byte[frames];
        Visemes = new float[frames * 15];
        Mfcc = new float[frames * 39];
        Energy = new float[frames];
        Shapes = new float[frames * Landmarks68.FloatCount];

        // Speech segments of 1-3 s separated by pauses, so that about speechFraction of the clip is speech.
        var t = 0;
        var speaking = true;
        while (t < frames)
        {
            var length = speaking ? rng.Next(25, 75) : Math.Max(3, (int)(rng.Next(25, 75) * (1 - speechFraction) / speechFraction));
            for (var i = t; i < Math.Min(frames, t + length); i++)
            {
                Voiced[i] = speaking ? (byte)1 : (byte)0;
            }

            t += length;
            speaking = !speaking;
        }

        // Syllables at 3-6 Hz: a phase that advances at a random rate, opening = its positive half-wave.
        var phase = 0.0;
        for (var i = 0; i < frames; i++)
        {
            phase += 2 * Math.PI * (3 + 3 * rng.NextDouble()) / Fps;
            Opening[i] = Voiced[i] == 1 ? (float)Math.Max(0, Math.Sin(phase)) * (float)(0.6 + 0.4 * rng.NextDouble()) : 0f;
        }

        var spread = 0.0;
        for (var i = 0; i < frames; i++)
        {
            var o = Opening[i];
            var row = Visemes.AsSpan(i * 15, 15);
            row[0] = Voiced[i] == 1 ? 0.05f : 0.9f;
            row[10] = Voiced[i] == 1 ? Math.Clamp(o + Noise(rng, 0.15f), 0f, 1f) : 0.02f;
            for (var v = 1; v < 15; v++)
            {
                if (v != 10)
                {
                    row[v] = 0.1f * (float)rng.NextDouble();
                }
            }

            var mfcc = Mfcc.AsSpan(i * 39, 39);
            for (var c = 0; c < 39; c++)
            {
                mfcc[c] = Noise(rng, 5f);
            }

            mfcc[1] += 8f * o;
            Energy[i] = Voiced[i] == 1 ? -45f + 30f * o + Noise(rng, 3f) : -70f + Noise(rng, 3f);

            // An unpredictable slow lip spread: structured "noise" the model cannot explain from the audio.
            spread = 0.95 * spread + 0.05 * Noise(rng, 0.03f);
            var face = Shapes.AsSpan(i * Landmarks68.FloatCount, Landmarks68.FloatCount);
            WriteFace(o, (float)spread, face);
            for (var j = 0; j < face.Length; j++)
            {
                face[j] += Noise(rng, 0.004f);
            }

            Usable[i] = rng.NextDouble() < 0.97 ? (byte)1 : (byte)0;
        }
    }

    public int Frames { get; }

    public float[] Opening { get; }

    public byte[] Voiced { get; }

    public byte[] Usable { get; }

    public float[] Visemes { get; }

    public float[] Mfcc { get; }

    public float[] Energy { get; }

    /// <summary>Canonical faces, [n, 136].</summary>
    public float[] Shapes { get; }

    /// <summary>The canonical face with the jaw and lower lip dropped by o·<see cref="MaxDrop"/> and the corners spread.</summary>
    public static void WriteFace(float o, float spread, Span<float> face)
    {
        CanonicalFace.Points.CopyTo(face);
        foreach (var (i, w) in new (int, float)[]
                 {
                     (5, 0.5f), (6, 0.75f), (7, 0.9f), (8, 1f), (9, 0.9f), (10, 0.75f), (11, 0.5f),
                     (55, 0.7f), (56, 0.95f), (57, 1f), (58, 0.95f), (59, 0.7f), (65, 0.95f), (66, 1f), (67, 0.95f),
                     (48, 0.3f), (54, 0.3f), (60, 0.35f), (64, 0.35f),
                 })
        {
            face[2 * i + 1] += MaxDrop * o * w;
        }

        face[2 * 48] -= spread;
        face[2 * 60] -= spread;
        face[2 * 54] += spread;
        face[2 * 64] += spread;
    }

    private static float Noise(Random rng, float sd)
    {
        // Box-Muller: Gaussian noise without a statistics package.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return (float)(sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
