using Pipeline.Render.Onnx;

namespace Pipeline.Onnx.Tests;

/// <summary>Wav2Lip's per-frame mel window: rows int(i·80/fps) onwards, on the exact frame-rate rational.</summary>
public sealed class MelWindowTests
{
    [Theory]
    [InlineData(25, 1, new long[] { 0, 1, 2, 3, 4, 5, 24, 25, 1000 }, new long[] { 0, 3, 6, 9, 12, 16, 76, 80, 3200 })]
    [InlineData(30000, 1001, new long[] { 0, 1, 2, 3, 29, 30, 375, 1000 }, new long[] { 0, 2, 5, 8, 77, 80, 1001, 2669 })]
    public void Windows_start_at_int_i_times_80_over_fps(int numerator, int denominator, long[] frames, long[] starts)
    {
        for (var k = 0; k < frames.Length; k++)
        {
            Assert.Equal(starts[k], MelWindows.Start(frames[k], numerator, denominator));
        }
    }

    [Fact]
    public void At_29_97_fps_the_start_agrees_with_wav2lips_float_formula_off_exact_integers()
    {
        const double fps = 30000.0 / 1001.0;
        for (long i = 0; i < 20000; i++)
        {
            if (i * 80 * 1001 % 30000 == 0)
            {
                continue; // an exact integer: float rounding may land either side, the rational is exact
            }

            Assert.Equal((long)(i * 80 / fps), MelWindows.Start(i, 30000, 1001));
        }
    }

    [Fact]
    public void A_window_is_16_rows_band_major_and_rows_past_the_speech_read_as_silence()
    {
        const int rows = 40;
        var mel = new float[rows * 80];
        for (var r = 0; r < rows; r++)
        {
            for (var b = 0; b < 80; b++)
            {
                mel[(r * 80) + b] = (r * 1000) + b;
            }
        }

        var window = new float[80 * 16];
        MelWindows.Fill(mel, 80, 2, 25, 1, 16, window); // starts at row 6
        for (var b = 0; b < 80; b++)
        {
            for (var t = 0; t < 16; t++)
            {
                Assert.Equal(((6 + t) * 1000) + b, window[(b * 16) + t]);
            }
        }

        MelWindows.Fill(mel, 80, 10, 25, 1, 16, window); // rows 32..47: 8 real, 8 past the end
        Assert.Equal((39 * 1000) + 5, window[(5 * 16) + 7]);
        Assert.Equal(MelWindows.Silence, window[(5 * 16) + 8]);
        Assert.Equal(MelWindows.Silence, window[(79 * 16) + 15]);

        MelWindows.Fill(mel, 80, 500, 25, 1, 16, window); // wholly past the speech
        Assert.All(window, v => Assert.Equal(-4f, v));
    }
}
