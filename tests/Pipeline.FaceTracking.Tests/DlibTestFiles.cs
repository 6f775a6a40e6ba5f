using Pipeline.TestSupport;

namespace Pipeline.FaceTracking.Tests;

/// <summary>The installed dlib data the tests need, or skip (fail under CI=true) with how to install it.</summary>
internal static class DlibTestFiles
{
    public const string ExamplesVariable = "PIPELINE_DLIB_EXAMPLES";

    /// <summary>Debian's libdlib19.1 ships dlib's examples, faces/ included (a dependency of libdlib-dev).</summary>
    public const string DebianExamples = "/usr/share/doc/libdlib19.1/examples";

    private const string Install = "apt-get install libdlib-dev libdlib-data (or infra/install-deps.sh as root)";

    public static string ShapePredictor()
    {
        try
        {
            return DlibModels.ShapePredictorPath();
        }
        catch (FileNotFoundException e)
        {
            return TestData.RequireFile(e.FileName ?? DlibModels.DebianShapePredictorPath, e.Message);
        }
    }

    /// <summary>
    /// dlib's landmark test set, faces/testing_with_face_landmarks.xml: PIPELINE_DLIB_EXAMPLES names the
    /// examples folder (or the XML itself), else Debian's. Debian images that drop /usr/share/doc
    /// (dpkg path-exclude) lose it: point the variable at a copy.
    /// </summary>
    public static string LandmarkTestSet()
    {
        var configured = Environment.GetEnvironmentVariable(ExamplesVariable);
        var path = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(DebianExamples, "faces", "testing_with_face_landmarks.xml")
            : File.Exists(configured) ? configured : Path.Combine(configured, "faces", "testing_with_face_landmarks.xml");
        return TestData.RequireFile(path, $"dlib's example faces come with Debian's libdlib19.1: {Install}, or set {ExamplesVariable}");
    }
}
