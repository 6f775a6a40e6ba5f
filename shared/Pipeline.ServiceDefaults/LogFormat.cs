using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// Console log format: JSON lines with scopes (JobId, Stage, Chunk from <see cref="StageExecution"/>) for log
/// shippers, or the readable simple format for a terminal.
/// </summary>
public static class LogFormat
{
    /// <summary>Set to <c>json</c> for JSON lines.</summary>
    public const string ConfigurationKey = "Logging:Format";

    /// <summary>The same switch for hosts whose configuration does not see plain environment variables (embedded CLI).</summary>
    public const string EnvironmentVariable = "PIPELINE_LOG_FORMAT";

    public static bool IsJson(IConfiguration configuration)
    {
        var format = configuration[ConfigurationKey] ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Switches the console to JSON when asked. Only the formatter: where logs go (stdout, or stderr in the CLI),
    /// their levels, and otherwise the host's own (simple) format stay as the host set them.
    /// </summary>
    public static ILoggingBuilder AddPipelineConsoleFormat(this ILoggingBuilder logging, IConfiguration configuration)
    {
        if (IsJson(configuration))
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        return logging;
    }
}
