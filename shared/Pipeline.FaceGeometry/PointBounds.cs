namespace Pipeline.FaceGeometry;

/// <summary>Axis-aligned bounding box of a set of points, in the points' own units.</summary>
public readonly record struct PointBounds(float MinX, float MinY, float MaxX, float MaxY)
{
    public float Width => MaxX - MinX;

    public float Height => MaxY - MinY;

    public float CenterX => 0.5f * (MinX + MaxX);

    public float CenterY => 0.5f * (MinY + MaxY);
}
