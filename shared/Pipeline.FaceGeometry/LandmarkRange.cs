namespace Pipeline.FaceGeometry;

/// <summary>
/// A contiguous run of landmark indices. Points are stored interleaved (<c>[x0, y0, x1, y1, ...]</c>),
/// so <see cref="Floats"/> gives the matching slice of a coordinate span.
/// </summary>
public readonly record struct LandmarkRange(int Start, int Count)
{
    /// <summary>One past the last landmark index.</summary>
    public int End => Start + Count;

    /// <summary>The slice of an interleaved coordinate span that holds these points.</summary>
    public Range Floats => new(2 * Start, 2 * End);

    public bool Contains(int index) => index >= Start && index < End;
}
