namespace Pipeline.Contracts.Jobs;

/// <summary>What the user asks for (DESIGN.md §1).</summary>
public enum JobMode
{
    /// <summary>Target video + new audio: the lower face is re-synced to the new audio.</summary>
    Dub,

    /// <summary>One portrait image + audio: a talking head with head motion and blinks.</summary>
    Animate,

    /// <summary>Video or image + text: the audio is synthesised first.</summary>
    Speak,
}
