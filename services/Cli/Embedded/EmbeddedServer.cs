using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Api.Dashboard;
using Pipeline.Api.Http;
using Pipeline.ServiceDefaults;

namespace Pipeline.Cli.Embedded;

/// <summary>Where <c>pipeline serve</c> listens, and settings over the environment's (tests point the stores at a scratch folder).</summary>
public sealed record ServeSettings(string Host = "127.0.0.1", int Port = 8080, bool Verbose = false, IReadOnlyDictionary<string, string?>? Configuration = null);

/// <summary>
/// <c>pipeline serve</c>: the Api service (REST and dashboard, wired as services/Api/Program.cs wires it) and every
/// stage (<see cref="EmbeddedStagesExtensions"/>) in one web process: the in-memory bus, SQLite and the local folder
/// store under <see cref="Pipeline.Storage.PipelineHome"/>, where embedded <c>pipeline dub</c> keeps them too.
/// </summary>
public static class EmbeddedServer
{
    public static WebApplication Build(ServeSettings settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });

        // As for embedded `dub`: PIPELINE_* environment variables only, not the services' own appsettings files.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddEnvironmentVariables("PIPELINE_");
        if (settings.Configuration is { } overrides)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(settings.Verbose ? LogLevel.Information : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("MassTransit", LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{(settings.Host.Contains(':') ? $"[{settings.Host}]" : settings.Host)}:{settings.Port}");

        builder.AddServiceDefaults("serve");
        builder.AddHttpApi();
        builder.AddEmbeddedStages();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapHttpApi();
        app.MapDashboard();
        return app;
    }

    /// <summary>The address a started server listens on (the real port when 0 was asked for).</summary>
    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
