namespace Pipeline.Motion.Prediction;

/// <summary>Settings of <see cref="DubMouthModel.TryFit"/>.</summary>
public sealed record PersonalModelOptions
{
    /// <summary>The clip's frame rate: turns <see cref="MinVoicedSeconds"/> into frames and paces the One Euro smoother.</summary>
    public double Fps { get; init; } = 25;

    /// <summary>
    /// Least voiced speech (usable frames with voice activity) worth fitting on: 1 s. Below it the clip says
    /// too little about how this person articulates, and the generic viseme model's articulation is used, placed by a
    /// pose-only fit (<see cref="DubMouthModel.FitPlacement"/>). From 1 s up,
    /// cross-validation decides how much of the model the footage supports (<see cref="MouthInputSet"/>): on the
    /// 3–5 s fitting parts of the testdata clips it mostly keeps the head-pose set, and adds articulation as
    /// footage grows.
    /// </summary>
    public double MinVoicedSeconds { get; init; } = 1;

    /// <summary>Fraction of mouth-shape variance the PCA keeps.</summary>
    public double VarianceKept { get; init; } = 0.98;

    public int MaxComponents { get; init; } = 12;

    /// <summary>λ candidates; null = <see cref="RidgeRegression.DefaultLambdaGrid"/>.</summary>
    public IReadOnlyList<double>? LambdaGrid { get; init; }

    public int Folds { get; init; } = 5;

    /// <summary>Force a smoother for the predicted coefficients; null = pick by held-out error at fit time.</summary>
    public CoefficientSmoothing? Smoothing { get; init; }

    public static PersonalModelOptions Default { get; } = new();

    internal void Validate()
    {
        if (!(Fps > 0) || !double.IsFinite(Fps))
        {
            throw new ArgumentOutOfRangeException(nameof(Fps), Fps, "the frame rate must be positive");
        }

        if (!(MinVoicedSeconds >= 0) || !double.IsFinite(MinVoicedSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(MinVoicedSeconds), MinVoicedSeconds, "must be a finite number of seconds");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Folds, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxComponents);
    }
}
