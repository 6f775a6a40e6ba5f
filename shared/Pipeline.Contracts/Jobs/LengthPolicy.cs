namespace Pipeline.Contracts.Jobs;

/// <summary>
/// What happens when the new audio and the video differ in length. The README's "Length policies"
/// section is the user-facing definition; keep the two in step.
/// </summary>
public enum LengthPolicy
{
    /// <summary>The output lasts as long as the shorter input; the longer one is cut.</summary>
    Cut,

    /// <summary>The output lasts as long as the audio; a shorter video repeats from its start.</summary>
    Loop,

    /// <summary>The output lasts as long as the audio; a shorter video plays forward, then backward, and so on.</summary>
    Bounce,

    /// <summary>The output lasts as long as the audio; a shorter video freezes on its last frame.</summary>
    Hold,

    /// <summary>The output lasts as long as the video; a shorter audio is padded with silence, a longer one cut.</summary>
    Pad,
}
