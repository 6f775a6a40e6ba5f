namespace Pipeline.Media;

/// <param name="Width">Output width; with <paramref name="Height"/> null or 0 the aspect ratio is kept.</param>
/// <param name="Height">Output height; with <paramref name="Width"/> null or 0 the aspect ratio is kept.</param>
/// <param name="StartSeconds">Decode from this timestamp (frame-accurate, not the nearest keyframe).</param>
/// <param name="DurationSeconds">Decode this long.</param>
public sealed record VideoDecodeOptions(int? Width = null, int? Height = null, double? StartSeconds = null, double? DurationSeconds = null);
