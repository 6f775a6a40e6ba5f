using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Api.Http.Estimates;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>
/// POST /v1/estimates on a real clip: its length probed with ffprobe, stage figures from the defaults until the tenant
/// has history, then from history; an already-run spec is all cache hits.
/// </summary>
public sealed class EstimateTests
{
    private const double ClipSeconds = 6.131; // testdata/video/retalk_1.mp4, as ffprobe reads it

    [Fact]
    public async Task Without_history_every_figure_comes_from_the_defaults()
    {
        await using var api = await ApiHost.StartAsync(maxUploadBytes: 16 << 20);
        var spec = await RealDubAsync(api);

        var estimate = await EstimateAsync(api, spec);

        Assert.Equal("Dub", estimate.Mode);
        Assert.Equal(ClipSeconds, estimate.MediaSeconds, 0.05);
        Assert.All(estimate.Inputs, i => Assert.Equal("ffprobe", i.Probe));
        Assert.Equal(2, estimate.Inputs.Count);
        Assert.All(estimate.Stages, s => Assert.Equal("default", s.Source));
        Assert.Equal(
            ["encoding/new-speech", "encoding/target", "exemplar-bank", "features/new-speech", "features/target", "ingest", "motion", "mux", "prepare-audio", "render", "track"],
            estimate.Stages.Select(s => s.Stage).Order(StringComparer.Ordinal));
        var render = estimate.Stages.Single(s => s.Stage == "render");
        Assert.Equal(StageDefaults.SecondsPerMediaSecond["render"] * estimate.MediaSeconds, render.WorkSeconds, 0.02);
        Assert.Equal(estimate.Stages.Sum(s => s.WorkSeconds), estimate.WorkSeconds, 0.05);
        Assert.Equal("stages", estimate.WallSource);
        Assert.InRange(estimate.WallSeconds, 0.1, estimate.WorkSeconds + 0.01);
        Assert.True(estimate.Cost > 0);
        Assert.Equal("USD", estimate.Currency);
        Assert.False(estimate.AllCached);
        Assert.Empty(estimate.CacheHits);
    }

    [Theory]
    [InlineData("audio/en_radio31.wav", true)] // 8.0 s of speech on a 6.1 s video: extended before tracking
    [InlineData("audio/mead_m006_16k.wav", false)] // 4.9 s: the video is long enough, and the node does nothing
    public async Task Looping_a_video_shorter_than_the_speech_counts_its_extension(string speech, bool extended)
    {
        await using var api = await ApiHost.StartAsync(maxUploadBytes: 16 << 20);
        var spec = await RealDubAsync(api);
        var audio = await UploadAsync(api, await File.ReadAllBytesAsync(TestData.Require(speech), TestContext.Current.CancellationToken), Path.GetFileName(speech));
        spec = spec with { Inputs = spec.Inputs with { Audio = audio }, Options = spec.Options with { LengthPolicy = LengthPolicy.Loop } };

        var estimate = await EstimateAsync(api, spec);

        Assert.Equal(extended, estimate.Stages.Any(s => s.Stage == "prepare-video"));
        // Tracking and render work on the extended picture, so every per-second figure is per second of the speech.
        var lengths = estimate.Inputs.ToDictionary(i => i.Field, i => i.DurationSeconds);
        Assert.Equal(lengths[extended ? "audio" : "video"], estimate.MediaSeconds, 1e-6);
    }

    [Fact]
    public async Task History_replaces_the_defaults_it_covers_and_a_spec_already_run_is_all_cache_hits()
    {
        await using var api = await ApiHost.StartAsync(maxUploadBytes: 16 << 20, settings: new Dictionary<string, string?>
        {
            ["Api:Pricing:CpuSecond"] = "0.001",
            ["Api:Pricing:GpuSecond"] = "0.01",
            ["Api:Pricing:GpuStages:0"] = "render",
            ["Api:Pricing:Currency"] = "EUR",
        });
        var spec = await RealDubAsync(api);

        // One earlier 10 s dub: render took 50 s of work (5 per media second), tracking 5 s, the whole job 80 s.
        var earlier = EarlierDub(80, ("render", StageKind.Render, 50, "[]"), ("track", StageKind.FaceTracking, 5, "[]"));
        await JobRows.AddAsync(api, earlier);

        var estimate = await EstimateAsync(api, spec);

        var render = estimate.Stages.Single(s => s.Stage == "render");
        Assert.Equal(("history", 1, 5.0, "gpu"), (render.Source, render.Samples, render.SecondsPerMediaSecond, render.Device));
        Assert.Equal(5 * estimate.MediaSeconds * 0.01, render.Cost, 0.001);
        Assert.Equal(0.5, estimate.Stages.Single(s => s.Stage == "track").SecondsPerMediaSecond, 1e-9);
        Assert.Equal("default", estimate.Stages.Single(s => s.Stage == "mux").Source);
        Assert.Equal("history", estimate.WallSource);
        Assert.Equal(8 * estimate.MediaSeconds, estimate.WallSeconds, 0.05);
        Assert.Equal("EUR", estimate.Currency);

        // The same spec succeeded before: every stage's output is stored, nothing would run.
        var done = JobRows.Job(ApiHost.Tenant, JobStatus.Succeeded, earlier.CreatedAt);
        done.SpecJson = JsonSerializer.Serialize(spec, JobJson.Options);
        await JobRows.AddAsync(api, done);
        var again = await EstimateAsync(api, spec);
        Assert.True(again.AllCached);
        Assert.Equal(again.Stages.Select(s => s.Stage), again.CacheHits);
        Assert.Equal(0, again.WorkSeconds);
        Assert.Equal(0, again.Cost);
    }

    [Fact]
    public async Task History_of_a_dub_whose_video_was_extended_counts_per_second_of_the_speech()
    {
        await using var api = await ApiHost.StartAsync(maxUploadBytes: 16 << 20);
        var spec = await RealDubAsync(api);

        // A 10 s video looped to 20 s of speech: 100 s of render work over 20 s of picture is 5 per second, not 10.
        await JobRows.AddAsync(api, EarlierDub(160, ("prepare-video", StageKind.PrepareVideo, 1, "{}"), ("render", StageKind.Render, 100, "[]")));

        var estimate = await EstimateAsync(api, spec);

        Assert.Equal(5.0, estimate.Stages.Single(s => s.Stage == "render").SecondsPerMediaSecond, 1e-9);
        Assert.Equal(8 * estimate.MediaSeconds, estimate.WallSeconds, 0.05);
    }

    [Fact]
    public async Task Speech_shorter_than_the_video_is_all_that_is_rendered()
    {
        await using var api = await ApiHost.StartAsync(maxUploadBytes: 16 << 20);
        var spec = await RealDubAsync(api);
        var shortSpeech = await UploadAsync(api, await File.ReadAllBytesAsync(TestData.Require("audio/mead_m006_16k.wav"), TestContext.Current.CancellationToken), "mead_m006_16k.wav");
        spec = spec with { Inputs = spec.Inputs with { Audio = shortSpeech } }; // cut, the default: 4.9 s over 6.1 s of video

        var estimate = await EstimateAsync(api, spec);

        var lengths = estimate.Inputs.ToDictionary(i => i.Field, i => i.DurationSeconds);
        var render = estimate.Stages.Single(s => s.Stage == "render");
        Assert.Equal(lengths["audio"], render.MediaSeconds, 1e-3);
        Assert.Equal(StageDefaults.SecondsPerMediaSecond["render"] * lengths["audio"], render.WorkSeconds, 0.02);
        // Tracking still reads the whole video: the person-specific model is fitted on all of it.
        Assert.Equal(lengths["video"], estimate.Stages.Single(s => s.Stage == "track").MediaSeconds, 1e-3);
        Assert.Equal(lengths["video"], estimate.MediaSeconds, 1e-3);

        // History counts render per second rendered: 5 s of speech over a 10 s video, 25 s of render work, is 5 per second.
        await JobRows.AddAsync(api, EarlierDub(80, JobDriver.Audio with { DurationSeconds = 5 }, ("render", StageKind.Render, 25, "[]")));
        var withHistory = await EstimateAsync(api, spec);
        Assert.Equal(("history", 5.0), (withHistory.Stages.Single(s => s.Stage == "render").Source, withHistory.Stages.Single(s => s.Stage == "render").SecondsPerMediaSecond));
    }

    [Fact]
    public async Task Inputs_that_are_not_uploaded_media_get_a_400_naming_the_field()
    {
        await using var api = await ApiHost.StartAsync(maxUploadBytes: 16 << 20);
        var spec = await RealDubAsync(api);

        var missing = spec with { Inputs = spec.Inputs with { Video = new ArtifactRef($"inputs/{new string('a', 64)}/v.mp4", 1) } };
        var elsewhere = spec with { Inputs = spec.Inputs with { Audio = new ArtifactRef("mux/v1/abc/output.mp4", 1) } };
        var noise = RandomNumberGenerator.GetBytes(4096);
        var notMedia = spec with { Inputs = spec.Inputs with { Video = await UploadAsync(api, noise, "noise.mp4") } };
        var planner = spec with { Inputs = spec.Inputs with { Video = null } };
        foreach (var (bad, field) in new[] { (missing, "inputs.video"), (elsewhere, "inputs.audio"), (notMedia, "inputs.video"), (planner, "video") })
        {
            using var response = await api.Client.PostAsJsonAsync("v1/estimates", bad, JobJson.Options, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    // A dub of a 10 s video with 20 s of speech (JobDriver's), succeeded an hour ago after wallSeconds, with these runs
    // besides its ingest.
    private static JobRecord EarlierDub(double wallSeconds, params (string Node, StageKind Stage, double Work, string Result)[] runs) =>
        EarlierDub(wallSeconds, JobDriver.Audio, runs);

    private static JobRecord EarlierDub(double wallSeconds, MediaSummary audio, params (string Node, StageKind Stage, double Work, string Result)[] runs)
    {
        var created = DateTimeOffset.UtcNow.AddHours(-1);
        var job = JobRows.Job(ApiHost.Tenant, JobStatus.Succeeded, created);
        job.FinishedAt = created.AddSeconds(wallSeconds);
        var ingested = new MediaIngested(job.Id, JobDriver.Video(10), null, audio, JobDriver.Report);
        job.Stages.Add(Run(job, "ingest", StageKind.Ingest, 0.2, JsonSerializer.Serialize(ingested, JobJson.Options)));
        foreach (var (node, stage, work, result) in runs)
        {
            job.Stages.Add(Run(job, node, stage, work, result));
        }

        return job;
    }

    private static StageRunRecord Run(JobRecord job, string node, StageKind stage, double work, string result) => new()
    {
        JobId = job.Id,
        Node = node,
        Stage = stage,
        Status = StageRunStatus.Succeeded,
        WorkSeconds = work,
        FinishedAt = job.FinishedAt,
        ResultJson = result,
    };

    private static async Task<JobSpec> RealDubAsync(ApiHost api)
    {
        var video = await UploadAsync(api, await File.ReadAllBytesAsync(TestData.Require("video/retalk_1.mp4"), TestContext.Current.CancellationToken), "retalk_1.mp4");
        var audio = await UploadAsync(api, await File.ReadAllBytesAsync(TestData.Require("audio/en_radio31.wav"), TestContext.Current.CancellationToken), "en_radio31.wav");
        return new JobSpec(JobMode.Dub, new JobInputs(Video: video, Audio: audio), JobOptions.Default, "dubbed.mp4");
    }

    private static async Task<ArtifactRef> UploadAsync(ApiHost api, byte[] bytes, string name)
    {
        using var response = await api.PutInputAsync(Convert.ToHexStringLower(SHA256.HashData(bytes)), name, bytes);
        Assert.True(response.IsSuccessStatusCode, $"upload of {name}: {(int)response.StatusCode}");
        var stored = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return new ArtifactRef(stored.GetProperty("key").GetString()!, stored.GetProperty("sizeBytes").GetInt64());
    }

    private static async Task<JobEstimate> EstimateAsync(ApiHost api, JobSpec spec)
    {
        using var response = await api.Client.PostAsJsonAsync("v1/estimates", spec, JobJson.Options, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<JobEstimate>(body, JobJson.Options)!;
    }
}
