namespace Pipeline.Contracts.Jobs;

/// <summary>A complete job request: enough to run it again and get the same result.</summary>
public sealed record JobSpec(JobMode Mode, JobInputs Inputs, JobOptions Options, string? OutputName = null);
