namespace Pipeline.Rendering.Exemplars;

/// <summary>
/// One bank entry: the crop of target frame <paramref name="Frame"/> at (<paramref name="X"/>, <paramref name="Y"/>)
/// of the given size, stored at <paramref name="Offset"/> in the bank's pixels (rgb24); its 68 tracked landmarks in
/// the crop's own pixels, and its <see cref="ExemplarShape"/>.
/// </summary>
public sealed record Exemplar(long Frame, int X, int Y, int Width, int Height, long Offset, float[] Landmarks, float[] Shape)
{
    public int Bytes => Width * Height * 3;
}
