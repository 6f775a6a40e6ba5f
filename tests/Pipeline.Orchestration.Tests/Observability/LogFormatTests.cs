using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Stages;
using Pipeline.ServiceDefaults;

namespace Pipeline.Orchestration.Tests.Observability;

/// <summary>
/// Logging:Format=json turns the console into JSON lines whose scopes carry the job id, written by the very
/// formatter the host's console logger will use.
/// </summary>
public sealed class LogFormatTests
{
    [Fact]
    public void Json_format_writes_the_stage_scope_with_its_job_id()
    {
        using var host = BuildHost(new() { [LogFormat.ConfigurationKey] = "json" });
        var options = host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal(ConsoleFormatterNames.Json, options.FormatterName);
        var formatter = host.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == options.FormatterName);

        var jobId = Guid.NewGuid();
        var scopes = new LoggerExternalScopeProvider();
        // The shape StageExecution opens around every stage run.
        using (scopes.Push(new Dictionary<string, object?> { ["JobId"] = jobId, ["Stage"] = StageKind.Mux, ["Chunk"] = null }))
        {
            var entry = new LogEntry<string>(LogLevel.Information, "Pipeline.ServiceDefaults.StageExecution", new EventId(0), "Mux finished in 1.00s", null, (s, _) => s);
            using var output = new StringWriter();
            formatter.Write(in entry, scopes, output);

            var line = output.ToString().TrimEnd();
            Assert.DoesNotContain('\n', line);
            using var json = JsonDocument.Parse(line);
            Assert.Equal("Mux finished in 1.00s", json.RootElement.GetProperty("Message").GetString());
            var scope = Assert.Single(json.RootElement.GetProperty("Scopes").EnumerateArray());
            Assert.Equal(jobId.ToString(), scope.GetProperty("JobId").GetString());
            Assert.Equal("Mux", scope.GetProperty("Stage").GetString());
        }
    }

    [Fact]
    public void Without_the_switch_the_console_stays_readable_text()
    {
        using var host = BuildHost(new());

        var options = host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.NotEqual(ConsoleFormatterNames.Json, options.FormatterName);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults("log-format-test");
        return builder.Build();
    }
}
