using System.Diagnostics;
using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Distributed.Tests;

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "distributed stack";
}

/// <summary>
/// One distributed stack for every test here: servers of its own (infra/servers.sh on ports no other test uses),
/// then the Api and the workers as processes (infra/stack.sh up, two render workers), torn down at the end.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    public const int AmqpPort = 5772;
    public const int PostgresPort = 55532;
    public const int S3Port = 18190;

    private readonly ScratchDirectory _scratch = new("stack");
    private bool _serversStarted;
    private bool _stackStarted;

    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>The key stack.sh up made for tenant "default" (every scope): what every request to the Api presents.</summary>
    public string ApiKey { get; private set; } = null!;

    public string StackDir => _scratch.File("stack");

    public string ServersDir => _scratch.File("servers");

    public async ValueTask InitializeAsync()
    {
        RequireServerPackages();
        var servers = await RunAsync("infra/servers.sh", ["start"], TimeSpan.FromMinutes(3));
        _serversStarted = true;
        Assert.True(servers.ExitCode == 0, $"servers.sh start failed:\n{servers.Output}");

        var up = await RunAsync("infra/stack.sh", ["up", "--render-workers", "2", "--port", "5180", "--no-build"], TimeSpan.FromMinutes(3));
        _stackStarted = true;
        Assert.True(up.ExitCode == 0, $"stack.sh up failed:\n{up.Output}");
        ApiUrl = new Uri(up.Stdout.Trim().Split('\n').Last());
        ApiKey = (await File.ReadAllTextAsync(Path.Combine(StackDir, "api-key"))).Trim();
        Assert.Contains($"export PIPELINE_API_KEY={ApiKey}", up.Stdout);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stackStarted)
        {
            await RunAsync("infra/stack.sh", ["down"], TimeSpan.FromMinutes(1));
        }

        if (_serversStarted)
        {
            await RunAsync("infra/servers.sh", ["stop"], TimeSpan.FromMinutes(1));
        }

        _scratch.Dispose();
    }

    public Task<ScriptResult> StackAsync(params string[] args) => RunAsync("infra/stack.sh", args, TimeSpan.FromMinutes(2));

    public Task<ScriptResult> ServersAsync(params string[] args) => RunAsync("infra/servers.sh", args, TimeSpan.FromMinutes(3));

    /// <summary>The environment every script and ./pipeline --server call here runs with: this stack's servers and state.</summary>
    public void Apply(ProcessStartInfo psi)
    {
        psi.Environment["PIPELINE_SERVERS_DIR"] = ServersDir;
        psi.Environment["PIPELINE_STACK_DIR"] = StackDir;
        psi.Environment["PIPELINE_STACK_NAME"] = "disttest";
        psi.Environment["PIPELINE_AMQP_PORT"] = AmqpPort.ToString();
        psi.Environment["PIPELINE_PG_PORT"] = PostgresPort.ToString();
        psi.Environment["PIPELINE_S3_PORT"] = S3Port.ToString();
    }

    private async Task<ScriptResult> RunAsync(string script, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        psi.ArgumentList.Add(Path.Combine(Repository.Root, script));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Apply(psi);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {string.Join(' ', args)} did not finish in {timeout}: {await stderr}");
        }

        return new ScriptResult(process.ExitCode, await stdout, await stderr);
    }

    private static void RequireServerPackages()
    {
        string[] needed = ["/usr/lib/rabbitmq/bin/rabbitmq-server", "/usr/lib/postgresql/15/bin/pg_ctl", "/usr/bin/swift-proxy-server", "/usr/bin/memcached"];
        foreach (var path in needed)
        {
            TestData.RequireFile(path, "install the servers with infra/install-deps.sh (rabbitmq-server, postgresql-15, swift-*, memcached)");
        }
    }
}

public sealed record ScriptResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}
