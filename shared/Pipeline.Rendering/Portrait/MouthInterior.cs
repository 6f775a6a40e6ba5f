namespace Pipeline.Rendering.Portrait;

/// <summary>
/// Paints the inside of an opened mouth that a closed-mouth photo does not show: the upper teeth under the upper lip
/// and a dark oral cavity below them, shaded darker towards the corners. Colours come from the photo itself (its lips
/// darkened for the cavity, its skin lifted towards white for the teeth), so a black-and-white photo or a painting
/// gets an interior in its own palette. Warping alone would smear lip pixels across the gap: the lips of a closed
/// mouth meet along a line, and a line stretched into an area is a streak.
/// </summary>
public sealed class MouthInterior
{
    /// <summary>A photo mouth open wider than this share of its width shows its own interior, which the warp moves.</summary>
    public const float OwnInteriorShare = 0.12f;

    /// <summary>The interior fades in over this much opening beyond the photo's own, as a share of the mouth width.</summary>
    private const float WiderShare = 0.05f;

    /// <summary>An opening below this share of the mouth width is too thin to show anything.</summary>
    private const float MinOpeningShare = 0.03f;

    /// <summary>How far down the opening the upper teeth reach, as a share of the opening.</summary>
    private const float TeethShare = 0.4f;

    /// <summary>The teeth are never taller than this share of the mouth width (a wide-open mouth shows more cavity, not longer teeth).</summary>
    private const float MaxTeethShareOfWidth = 0.12f;

    // Inner-lip outline, clockwise from the left corner: upper 60-64, lower 64-67 back to 60.
    private static readonly int[] Upper = [60, 61, 62, 63, 64];
    private static readonly int[] Lower = [64, 65, 66, 67, 60];

    private readonly int _width;
    private readonly int _height;

    public MouthInterior(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        (_width, _height) = (width, height);
    }

    /// <summary>Paints into <paramref name="output"/> the interior of <paramref name="target"/>'s open mouth.</summary>
    /// <returns>Whether anything was painted.</returns>
    public bool Paint(ReadOnlySpan<byte> photo, ReadOnlySpan<float> photoFace, Span<byte> output, ReadOnlySpan<float> target)
    {
        var photoWidth = Distance(photoFace, 48, 54);
        var photoOpening = Opening(photoFace);
        var width = Distance(target, 48, 54);
        var opening = Opening(target);

        // Painted in full only where the photo's mouth was shut and this frame's is open wider than it by a margin:
        // a mouth no wider than the photo's shows the photo's own lips and gap, moved by the warp.
        var strength = Clamp01(1f - (photoOpening / MathF.Max(1e-3f, photoWidth * OwnInteriorShare)))
            * Clamp01((opening - photoOpening) / MathF.Max(1e-3f, WiderShare * width));
        if (strength <= 0f || opening < MinOpeningShare * width)
        {
            return false;
        }

        Span<float> lip = stackalloc float[3];
        Span<float> skin = stackalloc float[3];
        Sample(photo, photoFace, [50, 51, 52, 56, 57, 58], lip);
        Sample(photo, photoFace, [29, 30, 31, 35], skin);
        Span<float> cavity = stackalloc float[3];
        Span<float> teeth = stackalloc float[3];
        for (var c = 0; c < 3; c++)
        {
            cavity[c] = 0.22f * lip[c];
            teeth[c] = 0.9f * (skin[c] + (0.55f * (255f - skin[c])));
        }

        var teethHeight = MathF.Min(TeethShare * opening, MaxTeethShareOfWidth * width);
        var (left, right) = (target[2 * 60], target[2 * 64]);
        var centre = (left + right) / 2;
        var half = MathF.Max(1f, MathF.Abs(right - left) / 2);
        var x0 = (int)MathF.Floor(MathF.Min(left, right));
        var x1 = (int)MathF.Ceiling(MathF.Max(left, right));
        var painted = false;

        // Column by column: each column's two lip heights are found once, and only the rows between them are touched.
        for (var x = Math.Max(0, x0); x <= Math.Min(_width - 1, x1); x++)
        {
            var up = Along(target, Upper, x);
            var low = Along(target, Lower, x);
            if (float.IsNaN(up) || float.IsNaN(low) || low - up < 0.5f)
            {
                continue;
            }

            var corner = (x - centre) / half;
            var shade = MathF.Max(0.25f, 1f - (0.7f * corner * corner));
            for (var y = Math.Max(0, (int)MathF.Floor(up)); y <= Math.Min(_height - 1, (int)MathF.Ceiling(low)); y++)
            {
                // Anti-aliased against both lips: a pixel half inside counts half.
                var inside = MathF.Min(Clamp01(y - up + 0.5f), Clamp01(low - y + 0.5f));
                if (inside <= 0f)
                {
                    continue;
                }

                var teethWeight = Clamp01((teethHeight - (y - up)) / MathF.Max(1f, 0.25f * teethHeight));
                var alpha = strength * inside;
                var at = ((y * _width) + x) * 3;
                for (var c = 0; c < 3; c++)
                {
                    var colour = shade * ((teethWeight * teeth[c]) + ((1f - teethWeight) * cavity[c]));
                    ref var px = ref output[at + c];
                    px = (byte)Math.Clamp((int)MathF.Round(px + (alpha * (colour - px))), 0, 255);
                }

                painted = true;
            }
        }

        return painted;
    }

    /// <summary>Mean gap between the inner lips (61-67, 62-66, 63-65).</summary>
    public static float Opening(ReadOnlySpan<float> face) =>
        (Distance(face, 61, 67) + Distance(face, 62, 66) + Distance(face, 63, 65)) / 3f;

    private static float Distance(ReadOnlySpan<float> face, int a, int b)
    {
        var (dx, dy) = (face[2 * a] - face[2 * b], face[(2 * a) + 1] - face[(2 * b) + 1]);
        return MathF.Sqrt((dx * dx) + (dy * dy));
    }

    // The lip line's y at x, by straight pieces between its points; NaN outside its span.
    private static float Along(ReadOnlySpan<float> face, int[] line, float x)
    {
        for (var i = 0; i + 1 < line.Length; i++)
        {
            var (ax, ay, bx, by) = (face[2 * line[i]], face[(2 * line[i]) + 1], face[2 * line[i + 1]], face[(2 * line[i + 1]) + 1]);
            var (lo, hi) = (MathF.Min(ax, bx), MathF.Max(ax, bx));
            if (x >= lo && x <= hi)
            {
                return hi - lo < 1e-3f ? (ay + by) / 2 : ay + ((by - ay) * (x - ax) / (bx - ax));
            }
        }

        return float.NaN;
    }

    // Mean colour of a 3x3 patch at each of the points in the photo.
    private void Sample(ReadOnlySpan<byte> photo, ReadOnlySpan<float> face, ReadOnlySpan<int> points, Span<float> rgb)
    {
        rgb.Clear();
        var count = 0;
        foreach (var p in points)
        {
            var (px, py) = ((int)MathF.Round(face[2 * p]), (int)MathF.Round(face[(2 * p) + 1]));
            for (var y = Math.Max(0, py - 1); y <= Math.Min(_height - 1, py + 1); y++)
            {
                for (var x = Math.Max(0, px - 1); x <= Math.Min(_width - 1, px + 1); x++)
                {
                    var at = ((y * _width) + x) * 3;
                    rgb[0] += photo[at];
                    rgb[1] += photo[at + 1];
                    rgb[2] += photo[at + 2];
                    count++;
                }
            }
        }

        for (var c = 0; c < 3; c++)
        {
            rgb[c] = count == 0 ? 128f : rgb[c] / count;
        }
    }

    private static float Clamp01(float v) => v < 0f ? 0f : v > 1f ? 1f : v;
}
