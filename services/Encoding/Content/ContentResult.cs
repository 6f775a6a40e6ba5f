namespace Pipeline.Encoding.Content;

/// <summary>
/// What <see cref="ContentEncoder"/> wrote: <paramref name="Files"/> maps a role ("visemes", "sidecar") to the
/// file name inside the output directory. <paramref name="PocketSphinxSeconds"/> is 0 when PocketSphinx did not run.
/// </summary>
public sealed record ContentResult(long Frames, int Visemes, IReadOnlyDictionary<string, string> Files, double PocketSphinxSeconds);
