using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>POST /v1/jobs as multipart/form-data: files stream into the store under their content address; a refused form stores nothing.</summary>
public sealed class MultipartSubmissionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_form_with_files_stores_them_by_content_and_submits_the_job_with_its_options()
    {
        await using var api = await ApiHost.StartAsync();
        var video = RandomNumberGenerator.GetBytes(300_000);
        var audio = RandomNumberGenerator.GetBytes(50_000);
        using var form = Form(("video", video, "clip one.mp4"), ("audio", audio, "speech.wav"));
        form.Add(new StringContent("""{"emotion":{"source":"Requested","timeline":[{"atSeconds":0,"label":"Happy","intensity":0.7}]},"face":{"kind":"Index","index":1}}"""), "options");
        form.Add(new StringContent("dubbed.mp4"), "outputName");

        using var response = await api.Client.PostAsync("v1/jobs", form, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var videoKey = $"inputs/{ApiHost.Tenant}/{Sha(video)}/clip_one.mp4";
        var audioKey = $"inputs/{ApiHost.Tenant}/{Sha(audio)}/speech.wav";
        Assert.Equal(video.Length, (await api.Store.StatAsync(videoKey, Ct))?.SizeBytes);
        Assert.Equal(audio.Length, (await api.Store.StatAsync(audioKey, Ct))?.SizeBytes);
        Assert.DoesNotContain(await api.StoredKeysAsync(), k => k.StartsWith("uploads/", StringComparison.Ordinal));

        var spec = await PollAsync(api, $"v1/jobs/{id}/spec");
        Assert.Equal("Dub", spec.GetProperty("mode").GetString());
        Assert.Equal(videoKey, spec.GetProperty("inputs").GetProperty("video").GetProperty("key").GetString());
        Assert.Equal(audioKey, spec.GetProperty("inputs").GetProperty("audio").GetProperty("key").GetString());
        Assert.Equal("dubbed.mp4", spec.GetProperty("outputName").GetString());
        var options = spec.GetProperty("options");
        Assert.Equal("Happy", options.GetProperty("emotion").GetProperty("timeline")[0].GetProperty("label").GetString());
        Assert.Equal(1, options.GetProperty("face").GetProperty("index").GetInt32());
        Assert.Equal("Cut", options.GetProperty("lengthPolicy").GetString()); // not named in the form: the default
    }

    [Fact]
    public async Task A_photo_without_a_mode_is_animated()
    {
        await using var api = await ApiHost.StartAsync();
        using var form = Form(("image", RandomNumberGenerator.GetBytes(2000), "face.png"), ("audio", RandomNumberGenerator.GetBytes(2000), "a.wav"));

        using var response = await api.Client.PostAsync("v1/jobs", form, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        Assert.Equal("Animate", (await PollAsync(api, $"v1/jobs/{id}/spec")).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task An_oversized_file_gets_413_and_nothing_is_stored_not_even_the_files_before_it()
    {
        await using var api = await ApiHost.StartAsync(maxUploadBytes: 100_000);
        using var form = Form(("audio", RandomNumberGenerator.GetBytes(10_000), "a.wav"), ("video", RandomNumberGenerator.GetBytes(100_001), "v.mp4"));

        using var response = await api.Client.PostAsync("v1/jobs", form, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("100000", await response.Content.ReadAsStringAsync(Ct));
        Assert.Empty(await api.StoredKeysAsync());
    }

    [Fact]
    public async Task A_form_the_planner_refuses_gets_400_with_the_reason_and_leaves_nothing_stored()
    {
        await using var api = await ApiHost.StartAsync();
        using var form = Form(("audio", RandomNumberGenerator.GetBytes(10_000), "a.wav"));
        form.Add(new StringContent("dub"), "mode");

        using var response = await api.Client.PostAsync("v1/jobs", form, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("video", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await api.StoredKeysAsync());
    }

    [Theory]
    [InlineData("options", "{not json", "options")]
    [InlineData("mode", "sing", "mode 'sing'")]
    public async Task A_bad_field_is_refused_by_name(string field, string value, string expected)
    {
        await using var api = await ApiHost.StartAsync();
        using var form = Form(("video", RandomNumberGenerator.GetBytes(1000), "v.mp4"), ("audio", RandomNumberGenerator.GetBytes(1000), "a.wav"));
        form.Add(new StringContent(value), field);

        using var response = await api.Client.PostAsync("v1/jobs", form, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await api.StoredKeysAsync());
    }

    [Fact]
    public async Task The_same_file_uploaded_twice_is_stored_once_and_the_json_branch_still_works()
    {
        await using var api = await ApiHost.StartAsync();
        var video = RandomNumberGenerator.GetBytes(5000);
        for (var i = 0; i < 2; i++)
        {
            using var form = Form(("video", video, "v.mp4"), ("audio", RandomNumberGenerator.GetBytes(1000), "a.wav"));
            using var response = await api.Client.PostAsync("v1/jobs", form, Ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Assert.Single(await api.StoredKeysAsync(), k => k.Contains(Sha(video), StringComparison.Ordinal));
        using var json = await api.Client.PostAsync("v1/jobs", new StringContent("{ nope", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
    }

    [Fact]
    public async Task An_input_is_served_with_byte_ranges_so_a_browser_can_seek()
    {
        await using var api = await ApiHost.StartAsync();
        var video = RandomNumberGenerator.GetBytes(20_000);
        using var form = Form(("video", video, "v.mp4"), ("audio", RandomNumberGenerator.GetBytes(1000), "a.wav"));
        using var created = await api.Client.PostAsync("v1/jobs", form, Ct);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        await PollAsync(api, $"v1/jobs/{id}/spec");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/jobs/{id}/artifacts/inputs/{ApiHost.Tenant}/{Sha(video)}/v.mp4");
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var response = await api.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(video[1000..2000], await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(video.Length, response.Content.Headers.ContentRange?.Length);
    }

    internal static MultipartFormDataContent Form(params (string Field, byte[] Bytes, string Name)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (field, bytes, name) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, field, name);
        }

        return form;
    }

    internal static async Task<JsonElement> PollAsync(ApiHost api, string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var get = await api.Client.GetAsync(path, Ct);
            if (get.StatusCode == HttpStatusCode.OK)
            {
                return await get.Content.ReadFromJsonAsync<JsonElement>(Ct);
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} never answered 200 (last {(int)get.StatusCode})");
            await Task.Delay(50, Ct);
        }
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
