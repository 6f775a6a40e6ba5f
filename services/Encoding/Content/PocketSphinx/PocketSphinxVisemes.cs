namespace Pipeline.Encoding.Content.PocketSphinx;

/// <summary>Recognised phones onto the frame clock: each frame gets the fraction of it each phone's viseme covers.</summary>
public static class PocketSphinxVisemes
{
    public static VisemePosteriors Project(IReadOnlyList<TimedPhone> phones, long frames, FrameClock clock)
    {
        ArgumentNullException.ThrowIfNull(phones);
        var grid = new VisemePosteriors(frames, clock);
        foreach (var p in phones)
        {
            grid.AddSpan(p.StartSeconds, p.EndSeconds, PhoneVisemeMap.FromCmu(p.Phone));
        }

        return grid;
    }
}
