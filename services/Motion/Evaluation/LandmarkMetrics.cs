using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Evaluation;

/// <summary>
/// Landmark distances between predicted and real faces (EVP's M-LMD, F-LMD and LVD) and the mouth-opening
/// correlation. Faces are 68 interleaved points per frame (<see cref="Landmarks68.FloatCount"/> floats),
/// already in the canonical frame (<see cref="CanonicalFace"/>: inter-ocular distance 1), so a distance in
/// percent of the inter-ocular distance is 100 × the Euclidean distance. Only frames whose
/// <c>valid</c> byte is non-zero count (the real face was tracked there); a metric with nothing to average
/// is NaN.
/// </summary>
public static class LandmarkMetrics
{
    private const int Stride = Landmarks68.FloatCount;

    /// <summary>M-LMD: mean distance of the mouth points 48-67 over valid frames, in % of the inter-ocular distance.</summary>
    public static double MouthLmd(ReadOnlySpan<float> predicted, ReadOnlySpan<float> real, ReadOnlySpan<byte> valid, int frames) =>
        MeanDistance(predicted, real, valid, frames, Landmarks68.Mouth);

    /// <summary>F-LMD: mean distance of all 68 points over valid frames, in % of the inter-ocular distance.</summary>
    public static double FaceLmd(ReadOnlySpan<float> predicted, ReadOnlySpan<float> real, ReadOnlySpan<byte> valid, int frames) =>
        MeanDistance(predicted, real, valid, frames, new LandmarkRange(0, Landmarks68.PointCount));

    /// <summary>
    /// LVD: mean over pairs of consecutive frames that are both valid, and over all 68 points, of
    /// |v_pred − v_real| with v the point's frame-to-frame displacement; in % of the inter-ocular distance
    /// per frame. A constant offset between the two sequences scores 0: it judges motion, not placement.
    /// </summary>
    public static double Lvd(ReadOnlySpan<float> predicted, ReadOnlySpan<float> real, ReadOnlySpan<byte> valid, int frames)
    {
        Require(predicted, real, valid, frames);
        double sum = 0;
        long count = 0;
        for (var f = 1; f < frames; f++)
        {
            if (valid[f] == 0 || valid[f - 1] == 0)
            {
                continue;
            }

            var p0 = predicted.Slice((f - 1) * Stride, Stride);
            var p1 = predicted.Slice(f * Stride, Stride);
            var r0 = real.Slice((f - 1) * Stride, Stride);
            var r1 = real.Slice(f * Stride, Stride);
            for (var i = 0; i < Stride; i += 2)
            {
                var dx = ((double)p1[i] - p0[i]) - ((double)r1[i] - r0[i]);
                var dy = ((double)p1[i + 1] - p0[i + 1]) - ((double)r1[i + 1] - r0[i + 1]);
                sum += Math.Sqrt((dx * dx) + (dy * dy));
            }

            count += Landmarks68.PointCount;
        }

        return count == 0 ? double.NaN : 100 * sum / count;
    }

    /// <summary>
    /// Pearson r between the predicted and the real <see cref="Landmarks68.MouthOpening"/> over valid frames:
    /// does the mouth open and close when the real one does, whatever the absolute shape. 0 when either
    /// sequence is constant (r undefined), e.g. the static baseline.
    /// </summary>
    public static double OpeningCorrelation(ReadOnlySpan<float> predicted, ReadOnlySpan<float> real, ReadOnlySpan<byte> valid, int frames)
    {
        Require(predicted, real, valid, frames);
        return Statistics.Pearson(Opening(predicted, frames), Opening(real, frames), valid, frames);
    }

    /// <summary><see cref="Landmarks68.MouthOpening"/> of every frame (inner-lip gap over inter-ocular distance).</summary>
    public static double[] Opening(ReadOnlySpan<float> faces, int frames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        RequireFaces(faces, frames, nameof(faces));
        var opening = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            opening[f] = Landmarks68.MouthOpening(faces.Slice(f * Stride, Stride));
        }

        return opening;
    }

    internal static void RequireFaces(ReadOnlySpan<float> faces, int frames, string name)
    {
        if (faces.Length < (long)frames * Stride)
        {
            throw new ArgumentException($"{frames} faces need {(long)frames * Stride} floats (68 interleaved x,y each), got {faces.Length}", name);
        }
    }

    internal static void RequireFrames<T>(ReadOnlySpan<T> perFrame, int frames, string name)
    {
        if (perFrame.Length < frames)
        {
            throw new ArgumentException($"expected one value per frame ({frames}), got {perFrame.Length}", name);
        }
    }

    private static void Require(ReadOnlySpan<float> predicted, ReadOnlySpan<float> real, ReadOnlySpan<byte> valid, int frames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        RequireFaces(predicted, frames, nameof(predicted));
        RequireFaces(real, frames, nameof(real));
        RequireFrames(valid, frames, nameof(valid));
    }

    private static double MeanDistance(ReadOnlySpan<float> predicted, ReadOnlySpan<float> real, ReadOnlySpan<byte> valid, int frames, LandmarkRange points)
    {
        Require(predicted, real, valid, frames);
        double sum = 0;
        long count = 0;
        for (var f = 0; f < frames; f++)
        {
            if (valid[f] == 0)
            {
                continue;
            }

            var p = predicted.Slice(f * Stride, Stride)[points.Floats];
            var r = real.Slice(f * Stride, Stride)[points.Floats];
            for (var i = 0; i < p.Length; i += 2)
            {
                var dx = (double)p[i] - r[i];
                var dy = (double)p[i + 1] - r[i + 1];
                sum += Math.Sqrt((dx * dx) + (dy * dy));
            }

            count += points.Count;
        }

        return count == 0 ? double.NaN : 100 * sum / count;
    }
}
