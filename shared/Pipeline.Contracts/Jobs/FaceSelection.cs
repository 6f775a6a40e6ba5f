namespace Pipeline.Contracts.Jobs;

public enum FaceSelectionKind
{
    /// <summary>The largest face in each shot.</summary>
    Largest,

    /// <summary>The n-th face, counted left to right at the first frame it appears in.</summary>
    Index,

    /// <summary>The face that overlaps <see cref="FaceSelection.Box"/> most at <see cref="FaceSelection.AtSeconds"/>.</summary>
    Box,

    /// <summary>Every face is animated.</summary>
    All,
}

/// <summary>A pixel rectangle in the source frame's coordinates.</summary>
public sealed record BoundingBox(int X, int Y, int Width, int Height);

/// <summary>Which face a job animates.</summary>
public sealed record FaceSelection(
    FaceSelectionKind Kind = FaceSelectionKind.Largest,
    int? Index = null,
    BoundingBox? Box = null,
    double? AtSeconds = null)
{
    public static FaceSelection Largest { get; } = new();
}
