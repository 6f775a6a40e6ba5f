namespace Pipeline.Motion.Prediction;

/// <summary>What blocked cross-validation of a ridge found.</summary>
/// <param name="Lambda">The chosen λ.</param>
/// <param name="Error">Its CV error: mean squared error per held-out value.</param>
/// <param name="Errors">The CV error of every λ of the grid, in grid order.</param>
/// <param name="OutOfFold">The chosen λ's out-of-fold predictions (n × k), when asked for; else null.</param>
internal sealed record CrossValidationResult(double Lambda, double Error, IReadOnlyList<double> Errors, float[]? OutOfFold);
