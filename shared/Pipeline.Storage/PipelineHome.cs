namespace Pipeline.Storage;

/// <summary>
/// Where embedded mode keeps its state: $PIPELINE_HOME, else $XDG_CACHE_HOME/pipeline, else ~/.cache/pipeline.
/// Everything there is a cache of content-addressed work and can be deleted at any time.
/// </summary>
public static class PipelineHome
{
    public static string Default { get; } = Resolve();

    private static string Resolve()
    {
        var explicitHome = Environment.GetEnvironmentVariable("PIPELINE_HOME");
        if (!string.IsNullOrWhiteSpace(explicitHome))
        {
            return Path.GetFullPath(explicitHome);
        }

        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }

        return Path.Combine(cache, "pipeline");
    }
}
