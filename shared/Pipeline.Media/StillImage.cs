namespace Pipeline.Media;

/// <summary>A JPEG made from a video: a thumbnail or a preview strip.</summary>
/// <param name="Width">Pixels, as written (the plan fixes the size; ffmpeg does not choose it).</param>
/// <param name="Tiles">How many frames it shows side by side (1 for a thumbnail).</param>
/// <param name="SourceSeconds">Where the frames were taken: for a thumbnail the start of the window it was chosen in.</param>
public sealed record StillImage(string Path, int Width, int Height, int Tiles, IReadOnlyList<double> SourceSeconds);
