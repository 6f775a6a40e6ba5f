namespace Pipeline.ServiceDefaults;

/// <summary>How a stage run ended, as the <c>outcome</c> tag of <c>pipeline.stage.duration</c>.</summary>
public enum StageOutcome
{
    /// <summary>The work returned and its completion event was published.</summary>
    Succeeded,

    /// <summary>The input was bad (a <see cref="Pipeline.Media.MediaException"/>): a StageFailed, no retry.</summary>
    Rejected,

    /// <summary>The job was cancelled while the stage ran.</summary>
    Cancelled,

    /// <summary>Anything else: rethrown to the retry policy and then the error queue.</summary>
    Error,
}

public static class StageOutcomeTags
{
    /// <summary>Lower-case, fixed strings: metric back ends match on them, so they must not follow enum renames silently.</summary>
    public static string TagValue(this StageOutcome outcome) => outcome switch
    {
        StageOutcome.Succeeded => "succeeded",
        StageOutcome.Rejected => "rejected",
        StageOutcome.Cancelled => "cancelled",
        StageOutcome.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
