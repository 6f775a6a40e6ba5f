using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Encoding.Content;
using Pipeline.Media;

namespace Pipeline.Cli.Commands;

/// <summary>
/// The media layer alone, for commands that need ffmpeg but no job (probe, decode checks, features, eval), with the
/// content encoder's settings bound from the same <c>PIPELINE_Content__*</c> variables the job runtime reads, so
/// `features` and `eval` recognise speech as a dub does.
/// </summary>
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
        services.AddSingleton(configuration.GetSection(ContentEncoderOptions.SectionName).Get<ContentEncoderOptions>() ?? new ContentEncoderOptions());
        return services.BuildServiceProvider();
    }
}
