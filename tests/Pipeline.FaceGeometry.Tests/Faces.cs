using Pipeline.FaceGeometry;

namespace Pipeline.FaceGeometry.Tests;

/// <summary>Test faces: the canonical face placed in an image, and seeded Gaussian noise.</summary>
internal static class Faces
{
    public static float[] CanonicalIn(SimilarityTransform placement)
    {
        var face = new float[Landmarks68.FloatCount];
        placement.Apply(CanonicalFace.Points, face);
        return face;
    }

    public static void AddNoise(Span<float> values, double sigma, Random random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] += (float)(sigma * Gaussian(random));
        }
    }

    public static double Gaussian(Random random)
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm's argument in (0, 1].
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
