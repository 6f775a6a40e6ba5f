namespace Pipeline.Encoding.Content.HeadAudio;

/// <summary>
/// Where the HeadAudio model is: $PIPELINE_HEADAUDIO_MODEL, else &lt;repo&gt;/.models/headaudio/model-en-mixed.bin
/// with the repository found by walking up from the app's folder to Pipeline.sln (infra/fetch-headaudio.sh puts it there).
/// </summary>
public static class HeadAudioModelLocator
{
    public const string Variable = "PIPELINE_HEADAUDIO_MODEL";

    public static string DefaultPath()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
        {
            dir = dir.Parent;
        }

        var root = dir?.FullName ?? AppContext.BaseDirectory;
        return Path.Combine(root, ".models", "headaudio", "model-en-mixed.bin");
    }
}
