using System.Net;
using System.Net.Http.Json;
using Pipeline.Orchestration.Tests.Http;
using static Pipeline.Orchestration.Tests.Batches.BatchApi;

namespace Pipeline.Orchestration.Tests.Batches;

/// <summary>POST /v1/batches/pairing over a folder store: videos and audio pair by stem, the rest is reported unpaired.</summary>
public sealed class PairingTests
{
    [Fact]
    public async Task Files_pair_by_stem_under_the_two_prefixes_and_the_unpaired_ones_are_reported()
    {
        await using var api = await ApiHost.StartAsync();
        foreach (var key in new[]
        {
            "videos/ep01.mp4", "videos/ep02.mov", "videos/s2/ep01.mp4", "videos/ep09.mp4", "videos/dup.mp4", "videos/dup.mkv",
            "audio/es/ep01.wav", "audio/es/ep02.wav", "audio/es/s2/ep01.wav", "audio/es/ep10.wav", "audio/es/dup.wav",
            "audio/fr/ep09.wav",
        })
        {
            await api.Store.PutAsync($"tenants/{ApiHost.Tenant}/{key}", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(key)), ct: Ct);
        }

        await api.Store.PutAsync("tenants/other/audio/es/ep09.wav", new MemoryStream([1]), ct: Ct);

        using var response = await api.Client.PostAsJsonAsync(
            "v1/batches/pairing",
            new { name = "spanish", videoPrefix = "videos/", audioPrefix = "audio/es", match = "stem", options = new { lengthPolicy = "pad", emotion = "happy" } },
            Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await JsonAsync(response);
        var pairing = created.GetProperty("pairing");
        Assert.Equal(3, pairing.GetProperty("pairs").GetInt32());
        Assert.Equal(["videos/dup.mkv", "videos/dup.mp4", "videos/ep09.mp4"], pairing.GetProperty("unpairedVideos").EnumerateArray().Select(v => v.GetString()).Order());
        Assert.Equal(["audio/es/dup.wav", "audio/es/ep10.wav"], pairing.GetProperty("unpairedAudio").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["ep01", "ep02", "s2/ep01"], created.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("ref").GetString()).Order());

        var jobs = await WaitForJobsAsync(api, 3, TimeSpan.FromSeconds(30));
        var s2 = jobs.Single(j => j.SpecJson.Contains($"tenants/{ApiHost.Tenant}/videos/s2/ep01.mp4"));
        Assert.Contains($"tenants/{ApiHost.Tenant}/audio/es/s2/ep01.wav", s2.SpecJson);
        Assert.Contains("\"Pad\"", s2.SpecJson);
        Assert.All(jobs, j => Assert.Equal(created.GetProperty("id").GetGuid(), j.BatchId));
    }

    [Fact]
    public async Task A_rule_that_pairs_nothing_or_climbs_out_of_the_tenants_folder_is_refused()
    {
        await using var api = await ApiHost.StartAsync();
        await api.Store.PutAsync($"tenants/{ApiHost.Tenant}/videos/ep01.mp4", new MemoryStream([1]), ct: Ct);

        using var none = await api.Client.PostAsJsonAsync("v1/batches/pairing", new { videoPrefix = "videos", audioPrefix = "audio/de" }, Ct);
        using var climbing = await api.Client.PostAsJsonAsync("v1/batches/pairing", new { videoPrefix = "../other/videos", audioPrefix = "audio" }, Ct);
        using var rule = await api.Client.PostAsJsonAsync("v1/batches/pairing", new { videoPrefix = "videos", audioPrefix = "audio", match = "fuzzy" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(["videos/ep01.mp4"], (await JsonAsync(none)).GetProperty("pairing").GetProperty("unpairedVideos").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, climbing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, rule.StatusCode);
    }
}
