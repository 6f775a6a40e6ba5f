namespace Pipeline.Motion.Prediction;

/// <summary>Which blocks of <see cref="MouthInputs"/> a fitted dub-mode mouth model reads; cross-validation picks one.</summary>
public enum MouthInputSet
{
    /// <summary>None: the person's mean mouth (what the static baseline does).</summary>
    Mean,

    /// <summary>The head's pose only: where the mouth appears, not what it says.</summary>
    Head,

    /// <summary>The generic model's articulation only.</summary>
    Generic,

    /// <summary>Pose and generic articulation: the generic model recalibrated to this person.</summary>
    HeadGeneric,

    /// <summary>Pose, generic articulation and the raw audio features: the full person-specific model.</summary>
    HeadGenericAudio,
}
