namespace Pipeline.Orchestration.Tests;

/// <summary>A clock the test moves by hand. Timers still run on real time: tests set long sweep intervals instead.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
