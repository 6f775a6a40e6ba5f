using Pipeline.FaceGeometry;

namespace Pipeline.Rendering.Exemplars;

/// <summary>The part of a frame an exemplar keeps: the box around its <see cref="MouthMesh"/>, with room for bilinear sampling.</summary>
public static class ExemplarCrop
{
    /// <summary>Extra margin around the mesh, as a share of the mouth's width.</summary>
    private const float MarginShare = 0.1f;

    public static (int X, int Y, int Width, int Height) Region(ReadOnlySpan<float> face, int frameWidth, int frameHeight)
    {
        Span<float> mesh = stackalloc float[2 * MouthMesh.PointCount];
        var mouthWidth = MouthMesh.Build(face, mesh);
        var bounds = Landmarks68.Bounds(mesh);
        var margin = (MarginShare * mouthWidth) + 2;
        var left = Math.Clamp((int)MathF.Floor(bounds.MinX - margin), 0, frameWidth - 1);
        var top = Math.Clamp((int)MathF.Floor(bounds.MinY - margin), 0, frameHeight - 1);
        var right = Math.Clamp((int)MathF.Ceiling(bounds.MaxX + margin), left, frameWidth - 1);
        var bottom = Math.Clamp((int)MathF.Ceiling(bounds.MaxY + margin), top, frameHeight - 1);
        return (left, top, right - left + 1, bottom - top + 1);
    }

    /// <summary>Copies the region's pixels out of a packed rgb24 frame.</summary>
    public static void Copy(ReadOnlySpan<byte> frame, int frameWidth, (int X, int Y, int Width, int Height) region, Span<byte> crop)
    {
        var row = region.Width * 3;
        for (var y = 0; y < region.Height; y++)
        {
            frame.Slice((((region.Y + y) * frameWidth) + region.X) * 3, row).CopyTo(crop.Slice(y * row, row));
        }
    }
}
