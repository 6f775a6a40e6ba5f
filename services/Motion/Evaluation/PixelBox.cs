namespace Pipeline.Motion.Evaluation;

/// <summary>The boxes render metrics are measured in, from a frame's real 68 landmarks (pixels).</summary>
public readonly record struct PixelBox(int Left, int Top, int Right, int Bottom)
{
    public static PixelBox Empty { get; } = new(0, 0, -1, -1);

    public bool Contains(int x, int y) => x >= Left && x <= Right && y >= Top && y <= Bottom;

    public PixelBox Clip(int width, int height) =>
        new(Math.Max(0, Left), Math.Max(0, Top), Math.Min(width - 1, Right), Math.Min(height - 1, Bottom));

    /// <summary>The mouth 48-67 grown by a quarter of its width: lips, teeth and the skin the exemplar replaces.</summary>
    public static PixelBox Mouth(ReadOnlySpan<float> face) => Around(face, 48, 67, 0.25f * Width(face, 48, 54));

    /// <summary>The jaw, nose base and mouth grown by 40% of the face's height: past everything the renderer may touch.</summary>
    public static PixelBox LowerFace(ReadOnlySpan<float> face)
    {
        var grow = 0.4f * MathF.Abs(face[(2 * 8) + 1] - face[(2 * 27) + 1]);
        var jaw = Around(face, 2, 14, grow);
        var mouth = Around(face, 30, 67, grow);
        return new PixelBox(Math.Min(jaw.Left, mouth.Left), Math.Min(jaw.Top, mouth.Top), Math.Max(jaw.Right, mouth.Right), Math.Max(jaw.Bottom, mouth.Bottom));
    }

    private static PixelBox Around(ReadOnlySpan<float> face, int first, int last, float grow)
    {
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (var p = first; p <= last; p++)
        {
            minX = MathF.Min(minX, face[2 * p]);
            maxX = MathF.Max(maxX, face[2 * p]);
            minY = MathF.Min(minY, face[(2 * p) + 1]);
            maxY = MathF.Max(maxY, face[(2 * p) + 1]);
        }

        return new PixelBox((int)MathF.Floor(minX - grow), (int)MathF.Floor(minY - grow), (int)MathF.Ceiling(maxX + grow), (int)MathF.Ceiling(maxY + grow));
    }

    private static float Width(ReadOnlySpan<float> face, int a, int b) =>
        MathF.Sqrt(MathF.Pow(face[2 * a] - face[2 * b], 2) + MathF.Pow(face[(2 * a) + 1] - face[(2 * b) + 1], 2));
}
