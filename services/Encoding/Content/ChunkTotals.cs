namespace Pipeline.Encoding.Content;

/// <summary>What the windows of one encode found, summed as they finish (they run concurrently).</summary>
internal sealed class ChunkTotals
{
    private readonly Lock _gate = new();

    public int Phones { get; private set; }

    public double PocketSphinxSeconds { get; private set; }

    public long Hops { get; private set; }

    public long ActiveHops { get; private set; }

    public int Restarts { get; private set; }

    public int CollapsedSpans { get; private set; }

    public int RepairedFrames { get; private set; }

    public void AddPocketSphinx(int phones, double seconds, int restarts)
    {
        lock (_gate)
        {
            Phones += phones;
            PocketSphinxSeconds += seconds;
            Restarts += restarts;
        }
    }

    public void AddHeadAudio(long hops, long active)
    {
        lock (_gate)
        {
            Hops += hops;
            ActiveHops += active;
        }
    }

    public void AddRepair(int spans, int frames)
    {
        lock (_gate)
        {
            CollapsedSpans += spans;
            RepairedFrames += frames;
        }
    }
}
