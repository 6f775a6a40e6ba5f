using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Media;

namespace Pipeline.Cli.Commands;

/// <summary>The media layer alone, for commands that need ffmpeg but no job (probe, decode checks).</summary>
public static class MediaTools
{
    public static ServiceProvider Create(bool verbose)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables("PIPELINE_").Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter(level => level >= (verbose ? LogLevel.Information : LogLevel.Critical)));
        services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        services.AddMedia();
        return services.BuildServiceProvider();
    }
}
