namespace Pipeline.AudioFeatures.Dsp;

/// <summary>DCT-II with orthonormal scaling (scipy.fftpack.dct(type=2, norm='ortho'), as librosa's MFCC uses).</summary>
public static class Dct
{
    /// <summary>Row-major [outputs, inputs] matrix of the first <paramref name="outputs"/> DCT-II basis vectors.</summary>
    public static float[] OrthonormalMatrix(int outputs, int inputs)
    {
        var m = new float[outputs * inputs];
        for (var k = 0; k < outputs; k++)
        {
            var scale = k == 0 ? Math.Sqrt(1.0 / inputs) : Math.Sqrt(2.0 / inputs);
            for (var n = 0; n < inputs; n++)
            {
                m[(k * inputs) + n] = (float)(scale * Math.Cos(Math.PI * k * ((2 * n) + 1) / (2.0 * inputs)));
            }
        }

        return m;
    }

    public static void Apply(ReadOnlySpan<float> matrix, ReadOnlySpan<float> input, Span<float> output)
    {
        for (var k = 0; k < output.Length; k++)
        {
            var row = matrix.Slice(k * input.Length, input.Length);
            var sum = 0f;
            for (var n = 0; n < input.Length; n++)
            {
                sum += row[n] * input[n];
            }

            output[k] = sum;
        }
    }
}
