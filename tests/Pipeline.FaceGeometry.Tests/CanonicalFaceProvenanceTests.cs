using System.Globalization;
using System.Text;
using Pipeline.FaceGeometry;

namespace Pipeline.FaceGeometry.Tests;

/// <summary>
/// Re-derives <see cref="CanonicalFace.Points"/> from the dlib model it was taken from. Skipped where the
/// model is not installed (Debian's libdlib-data), except under CI=true, where it must be present.
/// </summary>
public sealed class CanonicalFaceProvenanceTests
{
    [Fact]
    public void ConstantsAreDlibsMeanShapeInTheCanonicalFrame()
    {
        var path = Environment.GetEnvironmentVariable("PIPELINE_DLIB_SHAPE_PREDICTOR") is { Length: > 0 } configured
            ? configured
            : DlibMeanShape.DebianModelPath;
        if (!File.Exists(path))
        {
            var message = $"dlib's 68-point model is not at {path} (apt-get install libdlib-data)";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new FileNotFoundException(message, path);
            }

            Assert.Skip(message);
        }

        var mean = DlibMeanShape.Read(path);
        var derived = ToCanonicalFrame(mean);

        var worst = 0.0;
        for (var i = 0; i < derived.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(derived[i] - CanonicalFace.Points[i]));
        }

        Assert.True(worst < 2e-6, $"CanonicalFace.Points differs from the installed model by {worst}; regenerated:\n{AsCSharp(derived)}");
    }

    /// <summary>The similarity that puts the 36/45 midpoint at the origin and 45 at (0.5, 0).</summary>
    private static double[] ToCanonicalFrame(double[] shape)
    {
        double ax = shape[72], ay = shape[73], bx = shape[90], by = shape[91];
        double mx = 0.5 * (ax + bx), my = 0.5 * (ay + by);
        double dx = bx - ax, dy = by - ay;
        var d2 = dx * dx + dy * dy;
        var result = new double[shape.Length];
        for (var i = 0; i < shape.Length; i += 2)
        {
            double x = shape[i] - mx, y = shape[i + 1] - my;
            result[i] = (x * dx + y * dy) / d2;
            result[i + 1] = (-x * dy + y * dx) / d2;
        }

        return result;
    }

    private static string AsCSharp(double[] values)
    {
        var text = new StringBuilder();
        for (var i = 0; i < values.Length; i += 2)
        {
            text.Append(CultureInfo.InvariantCulture, $"{values[i]:0.000000}f, {values[i + 1]:0.000000}f,");
            text.Append(i % 8 == 6 ? '\n' : ' ');
        }

        return text.ToString();
    }
}
