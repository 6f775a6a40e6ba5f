using Pipeline.Motion.Evaluation;

namespace Pipeline.Cli.Eval;

/// <summary>
/// One clip's result, in the JSON shape tools read: `clip`, then one score object per method. `real` is the ceiling:
/// the real faces scored against themselves, whose sync lag is the clip's own offset between sound and mouth.
/// <see cref="CrossDrive"/> is ours driven with speech that does not belong to the footage, as in a dub.
/// </summary>
public sealed record ClipEvaluation(
    string Clip,
    int Frames,
    double Fps,
    int SplitFrame,
    string Model,
    double? Lambda,
    double PauseOpenRatio,
    EvalScores Ours,
    EvalScores Generic,
    EvalScores Static,
    EvalScores Energy,
    EvalScores Real,
    CrossDrive? CrossDrive = null);
