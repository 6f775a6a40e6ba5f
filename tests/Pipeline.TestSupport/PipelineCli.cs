using System.Diagnostics;

namespace Pipeline.TestSupport;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs <c>./pipeline</c> at the repository root exactly as a user would, with its own PIPELINE_HOME so tests
/// neither share caches nor see each other's jobs.
/// </summary>
public static class PipelineCli
{
    /// <param name="environment">Variables set for this run only (settings such as <c>PIPELINE_Content__…</c>).</param>
    public static async Task<CliResult> RunAsync(string home, IEnumerable<string> args, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Path.Combine(Repository.Root, "pipeline"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["PIPELINE_HOME"] = home;
        psi.Environment["TERM"] = "dumb";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ./pipeline");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Generous: a hung job is what this guards against, and a shared 2-core machine runs a two-chunk dub in ~3 min.
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(6));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./pipeline {string.Join(' ', args)} did not finish in time; stderr: {await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
