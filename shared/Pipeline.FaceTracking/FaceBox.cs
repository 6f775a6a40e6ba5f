namespace Pipeline.FaceTracking;

/// <summary>
/// A face rectangle in image pixels, in dlib's convention: (Left, Top) is the top-left pixel and
/// (Right, Bottom) the bottom-right pixel, inclusive, so a box w pixels wide has Right = Left + w - 1.
/// Floats, so that boxes derived from tracked landmarks need not be rounded.
/// </summary>
public readonly record struct FaceBox(float Left, float Top, float Right, float Bottom)
{
    public float Width => Right - Left + 1;

    public float Height => Bottom - Top + 1;

    public float CenterX => (Left + Right) / 2;

    public float CenterY => (Top + Bottom) / 2;

    /// <summary>The box covering <paramref name="width"/> x <paramref name="height"/> pixels from (x, y).</summary>
    public static FaceBox FromPixels(float x, float y, float width, float height) => new(x, y, x + width - 1, y + height - 1);
}
