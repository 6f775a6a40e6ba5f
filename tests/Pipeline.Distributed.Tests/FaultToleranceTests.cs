using System.Diagnostics;
using System.Text.Json;
using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Distributed.Tests;

/// <summary>
/// Crashes and restarts while jobs run (DESIGN.md §5): a render worker killed mid-chunk, RabbitMQ and PostgreSQL
/// restarted mid-batch, every broker connection cut mid-batch. Every job must still complete, once, with the output an
/// undisturbed run gives.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class FaultToleranceTests(StackFixture stack) : IDisposable
{
    private const int BatchSize = 10;
    private readonly ScratchDirectory _scratch = new("dist-faults");
    private readonly StackClient _client = new(stack);

    public void Dispose()
    {
        _client.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public async Task A_render_worker_killed_mid_chunk_costs_a_retry_not_the_job()
    {
        var video = TestData.Require("video/hdtf_katiehill.mp4");
        var audio = TestData.Require("audio/long_sun_22s.wav");
        string[] dub(string output) => ["dub", "--video", video, "--audio", audio, "--length-policy", "loop", "--out", output, "--json"];

        var before = (await _client.JobsAsync()).Count;
        using var cli = _client.StartCli(_scratch.File("home-k"), dub(_scratch.File("killed.mp4")));
        try
        {
            await stack.ExplainFailureAsync(() => KillRenderWorkerAndCheckAsync(cli, before, dub));
        }
        finally
        {
            StopIfRunning(cli);
        }
    }

    private async Task KillRenderWorkerAndCheckAsync(Process cli, int before, Func<string, string[]> dub)
    {
        var stdout = cli.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = cli.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);

        // Wait for a render chunk to be running, then kill its worker with SIGKILL: no goodbye, the broker must redeliver.
        var (jobId, node, worker) = await WaitForRunningRenderAsync(before, TimeSpan.FromMinutes(6));
        var pid = int.Parse(worker[(worker.LastIndexOf(':') + 1)..]);
        Process.GetProcessById(pid).Kill();
        var replacement = await stack.StackAsync("start-worker", "render");
        Assert.True(replacement.ExitCode == 0, replacement.Output);

        using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await cli.WaitForExitAsync(wait.Token);
        Assert.True(cli.ExitCode == 0, await stderr);

        var job = await _client.JobAsync(jobId);
        var run = job.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("node").GetString() == node);
        Assert.True(run.GetProperty("attempts").GetInt32() >= 2, $"{node}: {run}");
        Assert.NotEqual(worker, run.GetProperty("worker").GetString());

        var reference = await PipelineCli.RunAsync(_scratch.File("home-r"), dub(_scratch.File("reference.mp4")));
        Assert.True(reference.ExitCode == 0, reference.Stderr);
        Assert.Equal(StackClient.Sha256(_scratch.File("reference.mp4")), StackClient.Sha256(_scratch.File("killed.mp4")));
        TestContext.Current.SendDiagnosticMessage($"killed {worker} in {node}; finished by {run.GetProperty("worker")} on attempt {run.GetProperty("attempts")}; {await stdout}");
    }

    [Theory]
    [InlineData("restart-rabbitmq")]
    [InlineData("restart-postgres")]
    [InlineData("drop-connections")]
    public async Task A_server_restarted_mid_batch_loses_and_duplicates_no_job(string restart)
    {
        var video = TestData.Require("video/vox_00086.mp4");
        var speech = TestData.Require("audio/long_sun_22s.wav");
        var before = await _client.JobsAsync();

        // Ten different jobs: the same face with ten different 2 s stretches of speech.
        var clis = new List<(Process Cli, Task<string> Stdout, Task<string> Stderr)>();
        for (var i = 0; i < BatchSize; i++)
        {
            var clip = _scratch.File($"{restart}-{i}.wav");
            Ffmpeg.Run("-ss", (1 + (2.1 * i)).ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "2", "-i", speech, "-ac", "1", "-ar", "16000", clip);
            var cli = _client.StartCli(_scratch.File($"home-{restart}-{i}"), "dub", "--video", video, "--audio", clip, "--out", _scratch.File($"{restart}-{i}.mp4"), "--json");
            clis.Add((cli, cli.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken), cli.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken)));
        }

        try
        {
            await stack.ExplainFailureAsync(() => RestartMidBatchAndCheckAsync(restart, before, clis));
        }
        finally
        {
            // A failed check must not leave ten clients polling a stack that is about to go down.
            foreach (var (cli, _, _) in clis)
            {
                StopIfRunning(cli);
            }
        }
    }

    private async Task RestartMidBatchAndCheckAsync(
        string restart, IReadOnlyList<JsonElement> before, List<(Process Cli, Task<string> Stdout, Task<string> Stderr)> clis)
    {
        // Restart once the batch is flowing: some jobs done or in flight, most still to come.
        await WaitUntilAsync(async () => (await _client.JobsAsync()).Count(j => !before.Any(b => b.GetProperty("id").GetGuid() == j.GetProperty("id").GetGuid())
            && j.GetProperty("status").GetString() == "Running") >= 2, TimeSpan.FromMinutes(4));
        // A stop is one cut at one moment; dropping connections is cheap, so it cuts three times, 20 s apart (each service
        // is back in about 15 s), to catch consumers mid-publish: one stuck there once kept its queue without a consumer.
        var cuts = restart == "drop-connections" ? 3 : 1;
        for (var cut = 0; cut < cuts; cut++)
        {
            if (cut > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
            }

            var restarted = await stack.ServersAsync(restart);
            Assert.True(restarted.ExitCode == 0, restarted.Output);
        }

        var ids = new List<Guid>();
        foreach (var (cli, stdout, stderr) in clis)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await cli.WaitForExitAsync(wait.Token);
            Assert.True(cli.ExitCode == 0, await stderr);
            ids.Add(JsonDocument.Parse(await stdout).RootElement.GetProperty("job_id").GetGuid());
        }

        Assert.Equal(BatchSize, ids.Distinct().Count());
        var added = (await _client.JobsAsync()).Where(j => !before.Any(b => b.GetProperty("id").GetGuid() == j.GetProperty("id").GetGuid())).ToList();
        Assert.Equal(BatchSize, added.Count);
        Assert.All(added, j => Assert.Equal("Succeeded", j.GetProperty("status").GetString()));
        Assert.Equal(ids.Order(), added.Select(j => j.GetProperty("id").GetGuid()).Order());
    }

    private async Task<(Guid Job, string Node, string Worker)> WaitForRunningRenderAsync(int jobsBefore, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var jobs = await _client.JobsAsync();
            if (jobs.Count > jobsBefore)
            {
                var job = await _client.JobAsync(jobs[0].GetProperty("id").GetGuid());
                foreach (var stage in job.GetProperty("stages").EnumerateArray())
                {
                    if (stage.GetProperty("stage").GetString() == "Render" && stage.GetProperty("chunkIndex").ValueKind == JsonValueKind.Number
                        && stage.GetProperty("status").GetString() == "Running" && stage.GetProperty("worker").GetString() is { } worker)
                    {
                        return (job.GetProperty("id").GetGuid(), stage.GetProperty("node").GetString()!, worker);
                    }
                }
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("no render chunk was seen running");
    }

    private static void StopIfRunning(Process cli)
    {
        try
        {
            if (!cli.HasExited)
            {
                cli.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException("the batch never got going");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
