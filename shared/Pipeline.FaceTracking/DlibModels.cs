namespace Pipeline.FaceTracking;

/// <summary>
/// Finds dlib's 68-point shape predictor: an explicit path (an option), else
/// <c>PIPELINE_DLIB_SHAPE_PREDICTOR</c>, else where Debian's libdlib-data installs it.
/// </summary>
public static class DlibModels
{
    public const string ShapePredictorVariable = "PIPELINE_DLIB_SHAPE_PREDICTOR";

    /// <summary>Installed by Debian's <c>libdlib-data</c> package.</summary>
    public const string DebianShapePredictorPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

    private const string InstallHint =
        "install Debian's libdlib-data (apt-get install libdlib-dev libdlib-data, or infra/install-deps.sh as root) "
        + $"or set {ShapePredictorVariable} to a shape_predictor_68_face_landmarks.dat";

    /// <summary>
    /// The full path of the shape predictor. A path that was asked for (argument or variable) must exist:
    /// it is never silently replaced by the default.
    /// </summary>
    /// <exception cref="FileNotFoundException">The chosen file does not exist; the message says how to get it.</exception>
    public static string ShapePredictorPath(string? configuredPath = null)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return Existing(configuredPath, "the configured dlib shape predictor");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(ShapePredictorVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Existing(fromEnvironment, $"the dlib shape predictor named by {ShapePredictorVariable}");
        }

        return Existing(DebianShapePredictorPath, "dlib's 68-point shape predictor");
    }

    private static string Existing(string path, string what)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return full;
        }

        throw new FileNotFoundException($"{what} was not found at {full}: {InstallHint}.", full);
    }
}
