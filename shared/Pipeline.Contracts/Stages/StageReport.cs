namespace Pipeline.Contracts.Stages;

/// <summary>How a stage run went: who ran it, how long the work took, and whether the output was already cached.</summary>
public sealed record StageReport(string Worker, double Seconds, bool CacheHit);
