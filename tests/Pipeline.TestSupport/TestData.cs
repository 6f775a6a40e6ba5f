using Xunit;

namespace Pipeline.TestSupport;

/// <summary>
/// Locates the shared real media (../shared/testdata by default, or PIPELINE_TESTDATA).
/// Tests that need it call <see cref="Require"/>: absent data skips the test, except under CI=true,
/// where absence must fail loudly rather than let a green run hide untested code.
/// </summary>
public static class TestData
{
    public const string Variable = "PIPELINE_TESTDATA";

    public static string Root { get; } = Resolve();

    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Full path of a file under the testdata root, e.g. <c>video/retalk_2.mp4</c>.</summary>
    public static string Require(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        if (File.Exists(path))
        {
            return path;
        }

        var message = $"test media '{relativePath}' not found under {Root} (set {Variable})";
        if (IsCi)
        {
            throw new FileNotFoundException(message, path);
        }

        Assert.Skip(message);
        return path; // unreachable: Assert.Skip throws
    }

    /// <summary>Every file in a testdata folder (e.g. <c>video</c>), sorted, or skip/fail as <see cref="Require"/>.</summary>
    public static IReadOnlyList<string> RequireAll(string folder, string pattern = "*")
    {
        var dir = Path.Combine(Root, folder);
        var files = Directory.Exists(dir)
            ? Directory.GetFiles(dir, pattern).Order(StringComparer.Ordinal).ToArray()
            : [];
        if (files.Length > 0)
        {
            return files;
        }

        var message = $"no test media in '{folder}' under {Root} (set {Variable})";
        if (IsCi)
        {
            throw new DirectoryNotFoundException(message);
        }

        Assert.Skip(message);
        return files;
    }

    /// <summary>
    /// A file outside the testdata root (an installed package's data, a model): returned when it exists,
    /// else skip, or fail under CI=true, as <see cref="Require"/> does; <paramref name="hint"/> says how to get it.
    /// </summary>
    public static string RequireFile(string path, string hint)
    {
        if (File.Exists(path))
        {
            return path;
        }

        var message = $"'{path}' not found: {hint}";
        if (IsCi)
        {
            throw new FileNotFoundException(message, path);
        }

        Assert.Skip(message);
        return path; // unreachable: Assert.Skip throws
    }

    private static string Resolve()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        // Default: ../shared/testdata relative to the repository root, found by walking up to Pipeline.sln.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
        {
            dir = dir.Parent;
        }

        var repoRoot = dir?.FullName ?? Directory.GetCurrentDirectory();
        return Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "testdata"));
    }
}
