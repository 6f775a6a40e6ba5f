using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.TestSupport;

namespace Pipeline.Distributed.Tests;

/// <summary>What the tests read from the stack: its Api's job views, and ./pipeline run against it.</summary>
public sealed class StackClient(StackFixture stack) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = stack.ApiUrl,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", stack.ApiKey) },
    };

    public void Dispose() => _http.Dispose();

    public async Task<JsonElement> JobAsync(Guid id) => await _http.GetFromJsonAsync<JsonElement>($"v1/jobs/{id}");

    /// <summary>Every job the Api lists, page by page (<c>{ items, nextCursor }</c>).</summary>
    public async Task<IReadOnlyList<JsonElement>> JobsAsync()
    {
        var jobs = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await _http.GetFromJsonAsync<JsonElement>($"v1/jobs?limit=1000{(cursor is null ? "" : $"&after={cursor}")}");
            jobs.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return jobs;
    }

    /// <summary>./pipeline with --server pointing at this stack and its key (and its own PIPELINE_HOME, which it should not need).</summary>
    public Task<CliResult> CliAsync(string home, params string[] args) =>
        PipelineCli.RunAsync(home, [.. args, "--server", stack.ApiUrl.ToString(), "--api-key", stack.ApiKey], TimeSpan.FromMinutes(8));

    /// <summary>Starts ./pipeline --server without waiting: for tests that break things while the job runs.</summary>
    public Process StartCli(string home, params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(Repository.Root, "pipeline"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var a in args.Concat(["--server", stack.ApiUrl.ToString()]))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["PIPELINE_HOME"] = home;
        psi.Environment["PIPELINE_API_KEY"] = stack.ApiKey;
        psi.Environment["TERM"] = "dumb";
        return Process.Start(psi)!;
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The stage runs that did work (skipped nodes carry a null result and never ran).</summary>
    public static IEnumerable<JsonElement> ExecutedRuns(JsonElement job) =>
        job.GetProperty("stages").EnumerateArray()
            .Where(s => s.GetProperty("result").ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            .Where(s => s.GetProperty("chunkIndex").ValueKind == JsonValueKind.Number
                || !job.GetProperty("stages").EnumerateArray().Any(c =>
                    c.GetProperty("stage").GetString() == s.GetProperty("stage").GetString()
                    && c.GetProperty("variant").ToString() == s.GetProperty("variant").ToString()
                    && c.GetProperty("chunkIndex").ValueKind == JsonValueKind.Number));
}
