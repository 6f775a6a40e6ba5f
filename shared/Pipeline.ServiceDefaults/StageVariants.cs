using Pipeline.Contracts.Stages;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// Variant names of stages that run once per speech track (features and encoding): "features/new-speech" and
/// "features/target" in the job's DAG, logs and stage table. Workers and the orchestrator must agree on them.
/// </summary>
public static class StageVariants
{
    public const string NewSpeech = "new-speech";
    public const string Target = "target";

    public static string Of(AudioRole role) => role == AudioRole.NewSpeech ? NewSpeech : Target;
}
