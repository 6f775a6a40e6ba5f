using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Media;

namespace Pipeline.Cli;

/// <summary>The command tree, and the rule that every failure ends in one readable line and an exit code.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("pipeline: talking-head video from speech (dub, animate, speak)")
        {
            ProbeCommand.Create(),
            DubCommand.Create(),
            AnimateCommand.Create(),
            FeaturesCommand.Create(),
            BenchDecodeCommand.Create(),
            BenchCommand.Create(),
            TrackCommand.Create(),
            MotionCommand.Create(),
            EvalCommand.Create(),
            EvalCommand.CreateAll(),
            ServeCommand.Create(),
            KeysCommand.Create(),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command.Name;
            Console.Error.WriteLine($"pipeline: {parse.Errors[0].Message} (see: pipeline {(command == root.Name ? string.Empty : command + " ")}--help)");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,

                // Ctrl+C / SIGTERM cancel the command's token; the command then cancels its job (stopping ffmpeg)
                // and removes partial files, and gets this long to do so before the process is ended.
                ProcessTerminationTimeout = TimeSpan.FromSeconds(20),
            });
        }
        catch (CliException ex)
        {
            return Fail(ex.Message, ex.ExitCode);
        }
        catch (MediaException ex)
        {
            return Fail(ex.Message, ExitCodes.Failed);
        }
        catch (OperationCanceledException)
        {
            return Fail("cancelled", ExitCodes.Cancelled);
        }
        catch (Exception ex) when (Environment.GetEnvironmentVariable("PIPELINE_DEBUG") != "1")
        {
            // Unexpected: still one line, with the type so a bug report is useful; PIPELINE_DEBUG=1 shows the trace.
            return Fail($"internal error ({ex.GetType().Name}): {ex.Message}", ExitCodes.Failed);
        }
    }

    private static int Fail(string message, int code)
    {
        var line = message.ReplaceLineEndings(" ");
        Console.Error.WriteLine($"pipeline: {line}");
        return code;
    }
}
