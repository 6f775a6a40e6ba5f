namespace Pipeline.Cli.Eval;

/// <summary>
/// The test part driven with other speech, as a dub drives the original footage: the clip's own test speech rotated
/// by <paramref name="ShiftFrames"/>, so the mouth that truly goes with it is the real mouth rotated alike.
/// </summary>
/// <param name="FollowR">Pearson r of the predicted opening against the rotated real opening: lips follow the new speech (higher is better).</param>
/// <param name="LeakR">Pearson r of the predicted opening against the real opening as filmed: the original performance showing through (near <paramref name="ChanceR"/> is better).</param>
/// <param name="ChanceR">Pearson r of the real opening against itself rotated: what a model that followed the new speech
/// perfectly would score as <paramref name="LeakR"/> on this clip, so leak reads against it, not against 0.</param>
/// <param name="ShiftFrames">How far the speech was rotated.</param>
public sealed record CrossDrive(double FollowR, double LeakR, double ChanceR, int ShiftFrames);
