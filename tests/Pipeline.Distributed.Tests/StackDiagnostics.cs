using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Sdk;

namespace Pipeline.Distributed.Tests;

/// <summary>
/// What a failed fault test reports besides its own message: a hung job on the CI machine is otherwise just a timeout
/// with nothing to go on. The state of every service, every broker queue that holds or lacks something, every
/// unfinished job's open stages, and the last warnings and errors of each service's log.
/// </summary>
public static class StackDiagnostics
{
    /// <summary>Runs <paramref name="test"/>; if it throws, rethrows with the stack's state appended.</summary>
    public static async Task ExplainFailureAsync(this StackFixture stack, Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception e)
        {
            string state;
            try
            {
                state = await DescribeAsync(stack);
            }
            catch (Exception describe)
            {
                state = $"(could not describe the stack: {describe.Message})";
            }

            throw new XunitException($"{e.GetType().Name}: {e.Message}\n--- the stack when it failed ---\n{state}", e);
        }
    }

    public static async Task<string> DescribeAsync(StackFixture stack)
    {
        var text = new StringBuilder();
        var ps = await stack.StackAsync("ps");
        text.Append("services:\n").Append(Indent(ps.Output));
        text.Append("queues (ready/unacked/consumers), those holding messages or without a consumer:\n").Append(Indent(await QueuesAsync()));
        text.Append("unfinished jobs, with their stages neither succeeded nor pending:\n").Append(Indent(await UnfinishedJobsAsync(stack)));
        text.Append(LogTails(Path.Combine(stack.StackDir, "logs")));
        return text.ToString();
    }

    private static async Task<string> QueuesAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        try
        {
            var queues = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{StackFixture.AmqpPort + 10000}/api/queues/disttest");
            var lines = new StringBuilder();
            foreach (var q in queues.EnumerateArray())
            {
                long Get(string name) => q.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
                var (ready, unacked, consumers) = (Get("messages_ready"), Get("messages_unacknowledged"), Get("consumers"));
                if (ready + unacked > 0 || consumers == 0)
                {
                    lines.Append($"{q.GetProperty("name").GetString()} {ready}/{unacked}/{consumers}\n");
                }
            }

            return lines.Length == 0 ? "all empty, all consumed\n" : lines.ToString();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return $"management API unreachable: {e.Message}\n";
        }
    }

    private static async Task<string> UnfinishedJobsAsync(StackFixture stack)
    {
        using var client = new StackClient(stack);
        var lines = new StringBuilder();
        foreach (var summary in await client.JobsAsync())
        {
            var status = summary.GetProperty("status").GetString();
            if (status is "Succeeded" or "Failed" or "Cancelled")
            {
                continue;
            }

            var job = await client.JobAsync(summary.GetProperty("id").GetGuid());
            var stages = job.GetProperty("stages").EnumerateArray().ToList();
            var open = stages
                .Where(s => s.GetProperty("status").GetString() is not ("Succeeded" or "Pending"))
                .Select(s => $"{s.GetProperty("node").GetString()}={s.GetProperty("status").GetString()}"
                    + $"(attempts {s.GetProperty("attempts")}, worker {s.GetProperty("worker")})");
            var pending = stages.Count(s => s.GetProperty("status").GetString() == "Pending");
            lines.Append($"{summary.GetProperty("id").GetGuid()} {status}: {string.Join(", ", open)}; {pending} pending\n");
        }

        return lines.Length == 0 ? "none\n" : lines.ToString();
    }

    private static string LogTails(string logs)
    {
        var text = new StringBuilder();
        if (!Directory.Exists(logs))
        {
            return text.ToString();
        }

        foreach (var log in Directory.GetFiles(logs, "*.log").Order(StringComparer.Ordinal))
        {
            // MassTransit and the services log "warn:"/"fail:" headers followed by indented lines: keep each header with
            // its first line, the last ten such pairs per service.
            var lines = File.ReadAllLines(log);
            var events = new List<string>();
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("warn:", StringComparison.Ordinal) || lines[i].StartsWith("fail:", StringComparison.Ordinal)
                    || lines[i].StartsWith("crit:", StringComparison.Ordinal))
                {
                    var detail = i + 1 < lines.Length ? lines[i + 1].Trim() : "";
                    events.Add($"{lines[i]} {(detail.Length > 200 ? detail[..200] : detail)}");
                }
            }

            text.Append($"{Path.GetFileName(log)}: {events.Count} warnings and errors, the last ones:\n");
            text.Append(Indent(string.Join('\n', events.TakeLast(10))));
        }

        return text.ToString();
    }

    private static string Indent(string text) =>
        string.Concat(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "  " + l + "\n"));
}
