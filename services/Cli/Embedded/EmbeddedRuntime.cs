using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.ServiceDefaults;

namespace Pipeline.Cli.Embedded;

/// <summary>
/// Every stage service in this one process over MassTransit's in-memory transport, a local folder as the
/// object store and SQLite as the job store: the same consumers and orchestrator as the distributed stack.
/// </summary>
public sealed class EmbeddedRuntime : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedRuntime(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<EmbeddedRuntime> StartAsync(bool verbose, CancellationToken ct)
    {
        // No appsettings files: the services' own (copied next to this binary) are for their standalone hosts.
        // Embedded mode is configured by PIPELINE_* environment variables alone, e.g. PIPELINE_Media__FfmpegPath.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Configuration.AddEnvironmentVariables("PIPELINE_");
        ConfigureLogging(builder.Logging, verbose);

        builder.AddServiceDefaults("embedded");
        builder.Services.AddSingleton<JobWatcher>();
        builder.AddEmbeddedStages(bus => bus.AddConsumer<JobWatchConsumer>());

        var host = builder.Build();
        await host.StartAsync(ct);
        return new EmbeddedRuntime(host);
    }

    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }

    private static void ConfigureLogging(ILoggingBuilder logging, bool verbose)
    {
        logging.ClearProviders();

        // Logs go to stderr so `--json` output on stdout stays machine-readable.
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // Without --verbose a failure is reported once, as the command's one-line reason; logs would repeat it.
        logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Critical);
        logging.AddFilter("Microsoft", verbose ? LogLevel.Warning : LogLevel.Critical);
        logging.AddFilter("MassTransit", verbose ? LogLevel.Warning : LogLevel.Critical);
    }
}
