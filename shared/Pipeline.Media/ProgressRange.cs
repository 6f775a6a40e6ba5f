namespace Pipeline.Media;

/// <summary>Maps one step's 0..1 progress into its share [from, to] of a multi-step operation.</summary>
internal sealed class ProgressRange(IProgress<double>? outer, double from, double to) : IProgress<double>
{
    public void Report(double value) => outer?.Report(from + ((to - from) * Math.Clamp(value, 0, 1)));
}
