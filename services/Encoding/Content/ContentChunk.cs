namespace Pipeline.Encoding.Content;

/// <summary>A window of the clip's frames the encoder works on at once: frames [First, First + Count).</summary>
public readonly record struct ContentChunk(int Index, long First, int Count)
{
    public long End => First + Count;
}
