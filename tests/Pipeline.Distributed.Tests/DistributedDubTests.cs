using System.Text.Json;
using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Distributed.Tests;

/// <summary>The same job on the distributed stack as embedded: the same bytes out, and a resubmission that runs nothing.</summary>
[Collection(StackCollection.Name)]
public sealed class DistributedDubTests(StackFixture stack) : IDisposable
{
    private readonly ScratchDirectory _scratch = new("dist-dub");
    private readonly StackClient _client = new(stack);

    public void Dispose()
    {
        _client.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public async Task A_dub_on_the_stack_is_byte_identical_to_the_embedded_run_and_a_resubmission_reuses_every_artifact()
    {
        var video = TestData.Require("video/retalk_2.mp4");
        var audio = TestData.Require("audio/mead_m006_16k.wav");
        string[] dub(string output) => ["dub", "--video", video, "--audio", audio, "--out", output, "--json"];

        var embedded = await PipelineCli.RunAsync(_scratch.File("home-e"), dub(_scratch.File("embedded.mp4")));
        Assert.True(embedded.ExitCode == 0, embedded.Stderr);

        var first = await _client.CliAsync(_scratch.File("home-d"), dub(_scratch.File("distributed.mp4")));
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(StackClient.Sha256(_scratch.File("embedded.mp4")), StackClient.Sha256(_scratch.File("distributed.mp4")));
        Assert.Equal(StackClient.Sha256(_scratch.File("embedded.thumb.jpg")), StackClient.Sha256(_scratch.File("distributed.thumb.jpg")));

        var second = await _client.CliAsync(_scratch.File("home-d2"), dub(_scratch.File("again.mp4")));
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(StackClient.Sha256(_scratch.File("embedded.mp4")), StackClient.Sha256(_scratch.File("again.mp4")));

        var job = await _client.JobAsync(JsonDocument.Parse(second.Stdout).RootElement.GetProperty("job_id").GetGuid());
        var executed = StackClient.ExecutedRuns(job).ToList();
        Assert.NotEmpty(executed);
        Assert.All(executed, run => Assert.True(run.GetProperty("cacheHit").GetBoolean(), $"{run.GetProperty("node")} ran again"));

        var firstWall = JsonDocument.Parse(first.Stdout).RootElement.GetProperty("wall_s").GetDouble();
        var secondWall = JsonDocument.Parse(second.Stdout).RootElement.GetProperty("wall_s").GetDouble();
        TestContext.Current.SendDiagnosticMessage($"distributed dub {firstWall:F1} s, resubmission {secondWall:F1} s ({secondWall / firstWall:P0})");
    }

    [Fact]
    public async Task Animate_runs_on_the_stack_as_it_does_embedded()
    {
        var image = TestData.Require("image/eamm_21.png");
        var audio = TestData.Require("audio/mead_m006_16k.wav");
        string[] animate(string output) => ["animate", "--image", image, "--audio", audio, "--out", output, "--json"];

        var embedded = await PipelineCli.RunAsync(_scratch.File("home-ae"), animate(_scratch.File("embedded.mp4")));
        Assert.True(embedded.ExitCode == 0, embedded.Stderr);
        var distributed = await _client.CliAsync(_scratch.File("home-ad"), animate(_scratch.File("distributed.mp4")));
        Assert.True(distributed.ExitCode == 0, distributed.Stderr);

        Assert.Equal(StackClient.Sha256(_scratch.File("embedded.mp4")), StackClient.Sha256(_scratch.File("distributed.mp4")));
    }

    [Fact]
    public async Task A_bad_input_fails_with_its_reason_and_an_unreachable_server_says_what_to_do()
    {
        var bad = _scratch.File("not-a-video.mp4");
        await File.WriteAllTextAsync(bad, "this is not a video", TestContext.Current.CancellationToken);
        var audio = TestData.Require("audio/mead_m006_16k.wav");

        var failed = await _client.CliAsync(_scratch.File("home-b"), "dub", "--video", bad, "--audio", audio, "--out", _scratch.File("o.mp4"));
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("video", failed.Stderr, StringComparison.OrdinalIgnoreCase);

        var unreachable = await PipelineCli.RunAsync(
            _scratch.File("home-u"), ["dub", "--video", bad, "--audio", audio, "--out", _scratch.File("u.mp4"), "--server", "http://127.0.0.1:9"]);
        Assert.NotEqual(0, unreachable.ExitCode);
        Assert.Contains("cannot reach the Api", unreachable.Stderr);
    }
}
