namespace Pipeline.AudioFeatures.Dsp;

/// <summary>Analysis windows, shaped as scipy/librosa make them.</summary>
public static class Windows
{
    /// <summary>scipy.signal.get_window('hann', n, fftbins=True): 0.5 - 0.5 cos(2 pi i / n), the periodic form librosa uses.</summary>
    public static float[] PeriodicHann(int length)
    {
        var w = new float[length];
        for (var i = 0; i < length; i++)
        {
            w[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / length)));
        }

        return w;
    }
}
