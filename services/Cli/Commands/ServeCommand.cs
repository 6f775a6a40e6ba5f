using System.CommandLine;
using Pipeline.Cli.Embedded;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline serve [--port P] [--host H]</c>: the REST API, the dashboard and every stage in this one process.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "Port to listen on (0: any free port)", DefaultValueFactory = _ => 8080 };
        var host = new Option<string>("--host")
        {
            Description = "Address to bind: 127.0.0.1 (this machine only) by default; 0.0.0.0 for every interface, which exposes the API",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var verbose = CommonOptions.Verbose();
        var command = new Command("serve", "Run the REST API, the dashboard and all stages in this process (SQLite and a local store)") { port, host, verbose };
        command.Validators.Add(result =>
        {
            if (result.GetValue(port) is < 0 or > 65535)
            {
                result.AddError("--port must be 0..65535");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            await using var app = EmbeddedServer.Build(new ServeSettings(parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(verbose)));
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e)
            {
                throw new CliException($"cannot listen on {parse.GetValue(host)}:{parse.GetValue(port)}: {e.Message}");
            }

            Console.WriteLine($"pipeline: serving the dashboard and API at {EmbeddedServer.Address(app)} (Ctrl+C stops)");

            // Ctrl+C reaches both the command's token and the host's own lifetime; either one stops the server.
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (ct.Register(() => stop.TrySetResult()))
            await using (app.Lifetime.ApplicationStopping.Register(() => stop.TrySetResult()))
            {
                await stop.Task;
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await app.StopAsync(grace.Token);
            Console.WriteLine("pipeline: stopped");
            return ExitCodes.Ok;
        });
        return command;
    }
}
