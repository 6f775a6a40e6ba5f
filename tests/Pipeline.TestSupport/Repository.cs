namespace Pipeline.TestSupport;

/// <summary>The checkout the tests run from, found by walking up to Pipeline.sln.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find Pipeline.sln above " + AppContext.BaseDirectory);
    }
}
