using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Tests.Evaluation;

/// <summary>Synthetic canonical face sequences for the evaluation tests.</summary>
internal static class EvalFaces
{
    public const int Stride = Landmarks68.FloatCount;

    /// <summary>The canonical face's own inner-lip gap (over its unit inter-ocular distance).</summary>
    public static double RestOpening => Landmarks68.MouthOpening(CanonicalFace.Points);

    /// <summary>
    /// Canonical faces whose jaw (5-11) and lower lip (outer 55-59, inner 65-67) drop by opening(f):
    /// the mouth opening of frame f is then <see cref="RestOpening"/> + opening(f).
    /// </summary>
    public static float[] Talking(int frames, Func<int, double> opening)
    {
        var faces = new float[frames * Stride];
        for (var f = 0; f < frames; f++)
        {
            var face = faces.AsSpan(f * Stride, Stride);
            CanonicalFace.Points.CopyTo(face);
            var drop = (float)opening(f);
            foreach (var p in LowerPoints)
            {
                face[(2 * p) + 1] += drop;
            }
        }

        return faces;
    }

    public static int[] LowerPoints => [5, 6, 7, 8, 9, 10, 11, 55, 56, 57, 58, 59, 65, 66, 67];

    public static byte[] AllValid(int frames)
    {
        var valid = new byte[frames];
        valid.AsSpan().Fill(1);
        return valid;
    }

    public static float[] Dbfs(ReadOnlySpan<double> amplitude)
    {
        var db = new float[amplitude.Length];
        for (var f = 0; f < db.Length; f++)
        {
            db[f] = (float)(20 * Math.Log10(amplitude[f]));
        }

        return db;
    }

    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double mx = 0, my = 0;
        for (var i = 0; i < x.Length; i++)
        {
            mx += x[i];
            my += y[i];
        }

        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }
}
