using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

public sealed class MotionFeaturesTests
{
    [Fact]
    public void Dimension_is_42_per_frame_of_context()
    {
        Assert.Equal(210, MotionFeatures.Dimension(2));
        Assert.Equal(42, MotionFeatures.Dimension(0));
    }

    [Fact]
    public void Rows_hold_visemes_mfcc_and_delta_and_scaled_energy_of_the_clamped_window()
    {
        const int n = 4;
        var visemes = new float[n * 15];
        var mfcc = new float[n * 39];
        var energy = new float[n];
        for (var i = 0; i < n; i++)
        {
            for (var v = 0; v < 15; v++)
            {
                visemes[i * 15 + v] = 100 * i + v;
            }

            for (var c = 0; c < 39; c++)
            {
                mfcc[i * 39 + c] = 1000 * i + c;
            }
        }

        energy[0] = -40;
        energy[1] = -200;            // below the floor
        energy[2] = 3;               // above 0 dBFS
        energy[3] = float.NegativeInfinity;

        var x = MotionFeatures.Build(visemes, mfcc, energy, n, context: 1);
        var d = MotionFeatures.Dimension(1);
        Assert.Equal(n * d, x.Length);

        // Frame 0, window frames (-1→0, 0, 1).
        var row = x.AsSpan(0, d);
        Assert.Equal(0f, row[0]);            // frame 0 (clamped), viseme 0
        Assert.Equal(14f, row[14]);
        Assert.Equal(0f, row[15]);           // frame 0 again, viseme 0
        Assert.Equal(105f, row[30 + 5]);     // frame 1, viseme 5
        Assert.Equal(25f, row[45 + 25]);     // frame 0, MFCC column 25 (the last Δ)
        Assert.Equal(1012f, row[45 + 52 + 12]); // frame 1, MFCC c12
        Assert.Equal(-0.5f, row[45 + 78]);   // -40 dBFS / 80
        Assert.Equal(-1f, row[45 + 78 + 2]); // -200 clamped to -80

        // Last frame: window (2, 3, 3→3).
        row = x.AsSpan((n - 1) * d, d);
        Assert.Equal(200f, row[0]);
        Assert.Equal(300f, row[30]);
        Assert.Equal(0f, row[45 + 78]);       // +3 dBFS clamped to 0
        Assert.Equal(-1f, row[45 + 78 + 1]);  // -inf counts as the floor
        Assert.Equal(-1f, row[45 + 78 + 2]);  // frame 3 repeated past the end
    }
}
