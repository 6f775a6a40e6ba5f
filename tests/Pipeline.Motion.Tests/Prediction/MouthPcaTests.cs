using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

public sealed class MouthPcaTests
{
    [Fact]
    public void Reconstructs_rank_three_data_exactly()
    {
        const int n = 300;
        var (shapes, _) = LowRank(n, [0.05f, 0.03f, 0.01f], seed: 1);
        var pca = MouthPca.Fit(shapes, n, varianceKept: 0.999999);

        Assert.Equal(3, pca.Components);
        Assert.True(pca.ExplainedVariance > 0.999999);
        var coeffs = new float[pca.Components];
        var back = new float[58];
        for (var r = 0; r < n; r++)
        {
            var row = shapes.AsSpan(r * 58, 58);
            pca.Project(row, coeffs);
            pca.Reconstruct(coeffs, back);
            for (var j = 0; j < 58; j++)
            {
                Assert.Equal(row[j], back[j], 1e-5f);
            }
        }
    }

    [Fact]
    public void Basis_is_orthonormal_and_variances_come_largest_first()
    {
        const int n = 500;
        var (shapes, _) = LowRank(n, [0.02f, 0.06f, 0.01f, 0.04f], seed: 2, noise: 0.001f);
        var pca = MouthPca.Fit(shapes, n, varianceKept: 0.9999, maxComponents: 12);

        var v = pca.ComponentVariances;
        for (var i = 1; i < v.Length; i++)
        {
            Assert.True(v[i] <= v[i - 1], $"variance {i} ({v[i]}) exceeds variance {i - 1} ({v[i - 1]})");
        }

        var basis = pca.Basis;
        for (var a = 0; a < pca.Components; a++)
        {
            for (var b = 0; b < pca.Components; b++)
            {
                double dot = 0;
                for (var j = 0; j < 58; j++)
                {
                    dot += basis[a * 58 + j] * basis[b * 58 + j];
                }

                Assert.Equal(a == b ? 1.0 : 0.0, dot, 1e-5);
            }
        }

        // The four latent factors dominate, in order of their spread: 0.06 > 0.04 > 0.02 > 0.01 (squared).
        Assert.InRange(v[0] / v[1], 0.8 * (0.06 * 0.06) / (0.04 * 0.04), 1.25 * (0.06 * 0.06) / (0.04 * 0.04));
        Assert.True(v[3] > 20 * v[4], "a fifth direction that is only noise");
    }

    [Fact]
    public void Keeping_more_variance_keeps_more_components_and_explains_more()
    {
        const int n = 400;
        var (shapes, _) = LowRank(n, [0.06f, 0.04f, 0.02f, 0.01f], seed: 3, noise: 0.002f);
        var loose = MouthPca.Fit(shapes, n, varianceKept: 0.6);
        var tight = MouthPca.Fit(shapes, n, varianceKept: 0.95);
        var capped = MouthPca.Fit(shapes, n, varianceKept: 0.9999, maxComponents: 2);

        Assert.True(loose.Components < tight.Components);
        Assert.True(loose.ExplainedVariance >= 0.6 && loose.ExplainedVariance < tight.ExplainedVariance);
        Assert.True(tight.ExplainedVariance >= 0.95);
        Assert.Equal(2, capped.Components);
        Assert.True(capped.ExplainedVariance < 0.9999);
    }

    [Fact]
    public void Identical_shapes_give_one_silent_component_and_the_shape_as_mean()
    {
        var shape = SpeechPoints.Canonical();
        var shapes = Enumerable.Range(0, 10).SelectMany(_ => shape).ToArray();
        var pca = MouthPca.Fit(shapes, 10);

        Assert.Equal(1, pca.Components);
        Assert.Equal(1.0, pca.ExplainedVariance);
        Assert.Equal(shape, pca.Mean.ToArray());
    }

    /// <summary>Canonical mouth + Σ a_i·v_i with random orthogonal-ish directions v_i and N(0, spread_i) weights.</summary>
    internal static (float[] Shapes, float[] Directions) LowRank(int n, float[] spreads, int seed, float noise = 0)
    {
        var rng = new Random(seed);
        var k = spreads.Length;
        var directions = new float[k * 58];
        for (var i = 0; i < k; i++)
        {
            // Disjoint supports make the directions exactly orthogonal, so the spreads are the true PCA spreads.
            double norm = 0;
            for (var j = i; j < 58; j += k)
            {
                directions[i * 58 + j] = (float)(rng.NextDouble() - 0.5);
                norm += directions[i * 58 + j] * directions[i * 58 + j];
            }

            for (var j = 0; j < 58; j++)
            {
                directions[i * 58 + j] /= (float)Math.Sqrt(norm);
            }
        }

        var mean = SpeechPoints.Canonical();
        var shapes = new float[n * 58];
        for (var r = 0; r < n; r++)
        {
            for (var j = 0; j < 58; j++)
            {
                shapes[r * 58 + j] = mean[j] + (float)(noise * Gauss(rng));
            }

            for (var i = 0; i < k; i++)
            {
                var a = (float)(spreads[i] * Gauss(rng));
                for (var j = 0; j < 58; j++)
                {
                    shapes[r * 58 + j] += a * directions[i * 58 + j];
                }
            }
        }

        return (shapes, directions);
    }

    internal static double Gauss(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
