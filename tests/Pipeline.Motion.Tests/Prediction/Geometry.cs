using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

/// <summary>Measurements on 58-float speech-point shapes, for assertions.</summary>
internal static class Geometry
{
    public static float Y(ReadOnlySpan<float> shape58, int landmark) => shape58[2 * SpeechPoints.Slot(landmark) + 1];

    public static float X(ReadOnlySpan<float> shape58, int landmark) => shape58[2 * SpeechPoints.Slot(landmark)];

    /// <summary>Mean vertical gap of the inner lip pairs 61-67, 62-66, 63-65 (canonical frame: y is vertical).</summary>
    public static float InnerGap(ReadOnlySpan<float> shape58) =>
        ((Y(shape58, 67) - Y(shape58, 61)) + (Y(shape58, 66) - Y(shape58, 62)) + (Y(shape58, 65) - Y(shape58, 63))) / 3f;

    public static double Pearson(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var n = a.Count;
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < n; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return sab / Math.Sqrt(saa * sbb);
    }
}
