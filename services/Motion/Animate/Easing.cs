namespace Pipeline.Motion.Animate;

internal static class Easing
{
    /// <summary>3x² - 2x³ clamped to [0, 1]: starts and ends with zero slope, so motion built from it has no jolts.</summary>
    public static double Smoothstep(double x) => x >= 1 ? 1 : x <= 0 ? 0 : x * x * (3 - 2 * x);
}
