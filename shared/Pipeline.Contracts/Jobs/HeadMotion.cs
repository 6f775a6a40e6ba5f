namespace Pipeline.Contracts.Jobs;

/// <summary>Head-pose style for animate mode; the same seed gives the same trajectory.</summary>
public sealed record HeadMotion(string Style = "neutral", int Seed = 0)
{
    public static HeadMotion Default { get; } = new();
}
