namespace Pipeline.Motion.Evaluation;

/// <summary>The few statistics the metrics share, on spans, allocation-free.</summary>
internal static class Statistics
{
    /// <summary>
    /// Pearson correlation of the frames where <paramref name="valid"/> is set and both values are finite.
    /// 0 when it is undefined (fewer than two such frames, or either side constant): for a metric,
    /// "no linear relation measurable" is the honest reading, and a NaN would poison every mean downstream.
    /// </summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<byte> valid, int frames)
    {
        double sx = 0, sy = 0;
        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity, minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        var n = 0;
        for (var f = 0; f < frames; f++)
        {
            if (valid[f] != 0 && double.IsFinite(x[f]) && double.IsFinite(y[f]))
            {
                sx += x[f];
                sy += y[f];
                (minX, maxX) = (Math.Min(minX, x[f]), Math.Max(maxX, x[f]));
                (minY, maxY) = (Math.Min(minY, y[f]), Math.Max(maxY, y[f]));
                n++;
            }
        }

        if (n < 2 || IsConstant(minX, maxX) || IsConstant(minY, maxY))
        {
            return 0;
        }

        // Two passes (mean first) rather than running sums of squares: openings are small numbers with
        // small variations around a non-zero mean, exactly where one-pass formulas lose digits.
        double mx = sx / n, my = sy / n, sxy = 0, sxx = 0, syy = 0;
        for (var f = 0; f < frames; f++)
        {
            if (valid[f] != 0 && double.IsFinite(x[f]) && double.IsFinite(y[f]))
            {
                var dx = x[f] - mx;
                var dy = y[f] - my;
                sxy += dx * dy;
                sxx += dx * dx;
                syy += dy * dy;
            }
        }

        return Correlation(sxy, sxx, syy);
    }

    /// <summary>
    /// Whether values spanning [min, max] are one constant up to rounding. Decided on the range rather than on
    /// the variance: a constant's mean is itself rounded, so its "variance" comes out as 1e-34, not 0, and the
    /// correlation of that residue with anything is noise dressed as a number.
    /// </summary>
    public static bool IsConstant(double min, double max) =>
        !(max - min > 1e-12 * Math.Max(Math.Abs(min), Math.Abs(max)));

    /// <summary>sxy / sqrt(sxx syy), 0 when either side has no variance.</summary>
    public static double Correlation(double sxy, double sxx, double syy)
    {
        var denominator = Math.Sqrt(sxx * syy);
        if (!(denominator > 1e-300))
        {
            return 0;
        }

        return Math.Clamp(sxy / denominator, -1, 1);
    }

    /// <summary>Median of the values; sorts them in place. NaN for none.</summary>
    public static double MedianInPlace(Span<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        values.Sort();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
    }
}
