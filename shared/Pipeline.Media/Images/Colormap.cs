namespace Pipeline.Media.Images;

/// <summary>A perceptually ordered dark-to-bright colour ramp (viridis-like) for heatmaps.</summary>
public static class Colormap
{
    // Anchor colours of viridis at 0, 0.25, 0.5, 0.75 and 1; linear in between is close enough for reading plots.
    private static readonly (byte R, byte G, byte B)[] Anchors =
    [
        (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
    ];

    public static (byte R, byte G, byte B) Viridis(double t)
    {
        t = double.IsFinite(t) ? Math.Clamp(t, 0, 1) : 0;
        var x = t * (Anchors.Length - 1);
        var i = Math.Min((int)x, Anchors.Length - 2);
        var f = x - i;
        var (a, b) = (Anchors[i], Anchors[i + 1]);
        return ((byte)(a.R + ((b.R - a.R) * f)), (byte)(a.G + ((b.G - a.G) * f)), (byte)(a.B + ((b.B - a.B) * f)));
    }
}
