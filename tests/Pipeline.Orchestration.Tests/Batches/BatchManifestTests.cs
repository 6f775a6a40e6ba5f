using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Pipeline.Orchestration.Tests.Http;
using static Pipeline.Orchestration.Tests.Batches.BatchApi;

namespace Pipeline.Orchestration.Tests.Batches;

/// <summary>POST /v1/batches: malformed rows are reported row by row while the valid rows run, each as a job of the batch.</summary>
public sealed class BatchManifestTests
{
    [Fact]
    public async Task A_csv_with_good_and_bad_rows_runs_the_good_ones_and_reports_the_rest_by_row_and_column()
    {
        await using var api = await ApiHost.StartAsync();
        var video = await UploadAsync(api, "v.mp4");
        var audio = await UploadAsync(api, "a.wav");
        var csv = "\uFEFFid,video,audio,emotion,lengthPolicy,outputName,colour\r\n"
            + $"\"ep 1, part 2\",{video},{audio},happy:0.5,loop,\"out, final.mp4\",\r\n"
            + $"ep2,{video},,,,,\r\n"
            + $"ep3,{video},{audio},ecstatic,,,\r\n"
            + $"ep4,{video},{audio},,,,blue\r\n"
            + $"ep5,{video},{audio},sad,,x.mp4,,extra\r\n"
            + $"ep6,{video},{audio},,sideways,,\r\n"
            + $"ep7,videos/missing.mp4,{audio},,,,\r\n"
            + $"ep8,{video},{audio},angry,hold,,\r\n";

        using var response = await PostCsvAsync(api, csv, "?name=catalog");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await JsonAsync(response);
        Assert.Equal(2, created.GetProperty("submitted").GetInt32());
        Assert.Equal(6, created.GetProperty("rejected").GetInt32());
        Assert.Equal("ep 1, part 2", Row(created, 1).GetProperty("ref").GetString());
        Assert.Contains(Errors(Row(created, 2)), e => e.Column == "audio");
        Assert.Contains(Errors(Row(created, 3)), e => e.Column == "emotion" && e.Reason.Contains("ecstatic"));
        Assert.Contains(Errors(Row(created, 4)), e => e.Column == "colour" && e.Reason.Contains("unknown column"));
        Assert.Contains(Errors(Row(created, 5)), e => e.Reason.Contains("8 fields"));
        Assert.Contains(Errors(Row(created, 6)), e => e.Column == "lengthPolicy");
        Assert.Contains(Errors(Row(created, 7)), e => e.Column == "video" && e.Reason.Contains("not stored"));
        Assert.All(created.GetProperty("rows").EnumerateArray(), r => Assert.Equal(r.GetProperty("row").GetInt32() is 1 or 8, r.GetProperty("jobId").ValueKind == System.Text.Json.JsonValueKind.String));

        // Exactly the two valid rows became jobs, filed under the batch, with the row's options.
        var id = created.GetProperty("id").GetGuid();
        var jobs = await WaitForJobsAsync(api, 2, TimeSpan.FromSeconds(30));
        await Task.Delay(300, Ct);
        jobs = await WithDbAsync(api, db => db.Jobs.AsNoTracking().ToListAsync(Ct));
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(id, j.BatchId));
        var first = jobs.Single(j => j.Id == Row(created, 1).GetProperty("jobId").GetGuid());
        Assert.Contains("\"Loop\"", first.SpecJson, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("out, final.mp4", first.SpecJson);
        Assert.Contains("Happy", first.SpecJson, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_json_manifest_reports_unknown_keys_and_bad_rows_and_reads_paths_in_the_tenants_folder()
    {
        await using var api = await ApiHost.StartAsync();
        var audio = await UploadAsync(api, "a.wav");
        await api.Store.PutAsync($"tenants/{ApiHost.Tenant}/videos/ep01.mp4", new MemoryStream(System.Text.Encoding.UTF8.GetBytes("not a video")), ct: Ct);
        await api.Store.PutAsync("tenants/other/videos/secret.mp4", new MemoryStream(System.Text.Encoding.UTF8.GetBytes("not yours")), ct: Ct);
        var json = $$"""
            { "name": "json batch", "rows": [
              { "ref": "r1", "video": "videos/ep01.mp4", "audio": "{{audio}}", "face": "index:1", "emotion": "sad", "emotionIntensity": 0.4 },
              { "ref": "r2", "video": "videos/ep01.mp4", "audio": "{{audio}}", "speed": 2 },
              { "ref": "r3", "video": "../other/videos/secret.mp4", "audio": "{{audio}}" },
              "not an object",
              { "ref": "r5", "video": "videos/ep01.mp4", "audio": "{{audio}}", "emotionIntensity": 3 },
              { "ref": "r6", "image": "videos/ep01.mp4", "video": "videos/ep01.mp4", "audio": "{{audio}}" }
            ] }
            """;

        using var response = await PostJsonAsync(api, json);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await JsonAsync(response);
        Assert.Equal("json batch", created.GetProperty("name").GetString());
        Assert.Equal(1, created.GetProperty("submitted").GetInt32());
        Assert.Contains(Errors(Row(created, 2)), e => e.Column == "speed");
        Assert.Contains(Errors(Row(created, 3)), e => e.Column == "video");
        Assert.Contains(Errors(Row(created, 4)), e => e.Reason.Contains("object"));
        Assert.Contains(Errors(Row(created, 5)), e => e.Column == "emotionIntensity");
        Assert.Contains(Errors(Row(created, 6)), e => e.Column == "image");

        var job = (await WaitForJobsAsync(api, 1, TimeSpan.FromSeconds(30))).Single();
        Assert.Contains($"tenants/{ApiHost.Tenant}/videos/ep01.mp4", job.SpecJson);
        Assert.Contains("0.4", job.SpecJson);
    }

    [Fact]
    public async Task A_manifest_where_every_row_is_bad_is_refused_with_the_same_report_and_creates_nothing()
    {
        await using var api = await ApiHost.StartAsync();
        var video = await UploadAsync(api, "v.mp4");

        using var response = await PostJsonAsync(api, $$"""[ { "video": "{{video}}" }, { "audio": "{{video}}", "ref": "x" } ]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var rejected = await JsonAsync(response);
        Assert.Contains(Errors(Row(rejected, 1)), e => e.Column == "audio");
        Assert.Contains(Errors(Row(rejected, 2)), e => e.Column == "video");
        Assert.Equal("x", Row(rejected, 2).GetProperty("ref").GetString());
        Assert.Equal(0, await WithDbAsync(api, db => db.Batches.CountAsync(Ct)));
        using var unreadable = await PostCsvAsync(api, "video,audio\n\"open,x\n");
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
    }

    [Fact]
    public async Task A_batch_counts_its_jobs_by_status_lists_its_failures_by_row_and_can_be_sent_as_a_multipart_file()
    {
        await using var api = await ApiHost.StartAsync();
        var video = await UploadAsync(api, "v.mp4");
        var audio = await UploadAsync(api, "a.wav");
        var csv = $"ref,video,audio\nfirst,{video},{audio}\nsecond,{video},{audio}\nthird,{video}\n";
        using var form = new MultipartFormDataContent();
        var file = new StringContent(csv, System.Text.Encoding.UTF8);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "manifest", "catalog.csv");

        using var response = await api.Client.PostAsync("v1/batches", form, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await JsonAsync(response);
        Assert.Equal("catalog", created.GetProperty("name").GetString());
        var id = created.GetProperty("id").GetGuid();

        // Random bytes are refused by ingest: both jobs fail, and the batch completes.
        var batch = await WaitForBatchAsync(api, id, b => b.GetProperty("completedAt").ValueKind != System.Text.Json.JsonValueKind.Null, TimeSpan.FromSeconds(60));
        var counts = batch.GetProperty("counts");
        Assert.Equal(2, counts.GetProperty("total").GetInt32());
        Assert.Equal(2, counts.GetProperty("failed").GetInt32());
        Assert.Equal(0, counts.GetProperty("queued").GetInt32() + counts.GetProperty("running").GetInt32() + counts.GetProperty("succeeded").GetInt32());
        Assert.Equal(1.0, batch.GetProperty("progress").GetDouble());
        var failures = batch.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal(["first", "second"], failures.Select(f => f.GetProperty("ref").GetString()).Order());
        Assert.All(failures, f => Assert.Equal("ingest", f.GetProperty("stage").GetString()));
        var rejected = Assert.Single(batch.GetProperty("rejectedRows").EnumerateArray());
        Assert.Equal(3, rejected.GetProperty("row").GetInt32());

        using var list = await api.Client.GetAsync("v1/batches", Ct);
        var summary = Assert.Single((await JsonAsync(list)).EnumerateArray());
        Assert.Equal(2, summary.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.Equal(1, summary.GetProperty("rejectedRows").GetInt32());
        using var missing = await api.Client.GetAsync($"v1/batches/{Guid.NewGuid()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
