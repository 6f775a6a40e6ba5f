using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Api.Http;
using Pipeline.Api.Persistence;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Embedded;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.Storage;

namespace Pipeline.Cli.Remote;

/// <summary>
/// The job runs on a distributed stack (<c>--server URL</c>): inputs are uploaded to its Api (skipped when it already
/// holds the same bytes), the job is submitted and followed by polling, and the output is downloaded from it.
/// </summary>
public sealed class RemoteJobHost : IJobHost
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan SubmitGrace = TimeSpan.FromMinutes(2);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly HttpClient _http;
    private readonly Uri _server;

    private RemoteJobHost(Uri server)
    {
        _server = server;
        _http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
    }

    public static RemoteJobHost Connect(string server)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--server '{server}' is not an http(s) URL such as http://127.0.0.1:5080 (infra/stack.sh up prints it)");
        }

        return new RemoteJobHost(uri);
    }

    public async Task<ArtifactRef> ImportAsync(string path, string option, CancellationToken ct)
    {
        var (file, sha) = await InputImporter.HashAsync(path, option, ct);
        var url = $"v1/inputs/{sha}/{Uri.EscapeDataString(ObjectKey.SanitizeName(file.Name))}";
        using (var head = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, url), ct))
        {
            if (head.IsSuccessStatusCode)
            {
                return new ArtifactRef(ArtifactKeys.ForInput(sha, file.Name), file.Length);
            }
        }

        await using var content = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        using var put = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Put, url)
            {
                Content = new StreamContent(content, 1 << 20)
                {
                    Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream"), ContentLength = file.Length },
                },
            },
            ct);
        var stored = await ReadAsync<InputView>(put, $"uploading {option} '{path}'", ct);
        return new ArtifactRef(stored.Key, stored.SizeBytes);
    }

    public Task<string> ImportModelAsync(string manifestPath, CancellationToken ct) =>
        throw new CliException("--model with --server: uploading an onnx model to a stack is not supported yet; put the model in the stack's object store and run the job embedded, or use the warp or exemplar backend");

    public async Task<JobOutcome> RunAsync(JobSpec spec, IProgressView view, CancellationToken ct)
    {
        using var submitted = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "v1/jobs") { Content = JsonContent.Create(spec, options: Json) }, ct);
        var created = await ReadAsync<JobCreated>(submitted, "submitting the job", ct);
        var since = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            JobView? job;
            try
            {
                await Task.Delay(PollInterval, ct);
                job = await FindJobAsync(created.Id, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await CancelAsync(created.Id);
                throw new CliException("cancelled; no output was written", ExitCodes.Cancelled);
            }

            if (job is null)
            {
                // The Api accepted the job and put it on the bus: the orchestrator files it a moment later.
                if (since.Elapsed > SubmitGrace)
                {
                    throw new CliException($"the Api accepted job {created.Id} but no orchestrator has taken it after {SubmitGrace.TotalSeconds:F0} s; is the stack's Api healthy? (infra/stack.sh ps)");
                }

                view.Update("queued", 0);
                continue;
            }

            switch (job.Status)
            {
                case nameof(JobStatus.Succeeded):
                    view.Update("done", 1);
                    return new JobOutcome(job.Id, job.OutputKey!, job.Stages.Select(Record).ToList());
                case nameof(JobStatus.Failed):
                    throw new CliException(job.Error ?? $"job {job.Id} failed at {job.FailedStage}");
                case nameof(JobStatus.Cancelled):
                    throw new CliException($"job cancelled: {job.Error ?? "by request"}", ExitCodes.Cancelled);
                default:
                    view.Update(job.CurrentStage ?? job.Status.ToLowerInvariant(), job.Progress);
                    break;
            }
        }
    }

    public async Task<Stream> OpenArtifactAsync(Guid jobId, string key, CancellationToken ct)
    {
        var job = await GetJobAsync(jobId, ct);
        var url = key == job.OutputKey ? $"v1/jobs/{jobId}/output" : $"v1/jobs/{jobId}/artifacts/{key}";
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), ct, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw new CliException($"downloading '{key}' from {_server}: {await ErrorOfAsync(response, ct)}");
            }
        }

        return new OwnedReadStream(await response.Content.ReadAsStreamAsync(ct), response);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<JobView> GetJobAsync(Guid id, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v1/jobs/{id}"), ct);
        return await ReadAsync<JobView>(response, $"reading job {id}", ct);
    }

    private async Task<JobView?> FindJobAsync(Guid id, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v1/jobs/{id}"), ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<JobView>(response, $"reading job {id}", ct);
    }

    private async Task CancelAsync(Guid id)
    {
        using var grace = new CancellationTokenSource(CancelGrace);
        try
        {
            using var _ = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"v1/jobs/{id}/cancel"), grace.Token);
            while ((await GetJobAsync(id, grace.Token)).Status is not (nameof(JobStatus.Cancelled) or nameof(JobStatus.Failed) or nameof(JobStatus.Succeeded)))
            {
                await Task.Delay(PollInterval, grace.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or CliException)
        {
            // The process is exiting; the stack goes on stopping the job.
        }
    }

    private async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> request, CancellationToken ct, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            using var message = request();
            return await _http.SendAsync(message, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"--server {_server}: cannot reach the Api ({e.Message}); is the stack up? (infra/stack.sh up prints its URL)");
        }
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"{what}: {await ErrorOfAsync(response, ct)}");
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, ct)
            ?? throw new CliException($"{what}: the Api at {_server} answered with an empty body");
    }

    private static async Task<string> ErrorOfAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            if (JsonSerializer.Deserialize<ApiError>(body, Json) is { Error: { } error })
            {
                return error;
            }
        }
        catch (JsonException)
        {
        }

        return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}" + (response.StatusCode == HttpStatusCode.NotFound ? " (is this a Pipeline Api?)" : string.Empty);
    }

    private static StageRunRecord Record(StageRunView s) => new()
    {
        Node = s.Node,
        Stage = Enum.Parse<StageKind>(s.Stage),
        ChunkIndex = s.ChunkIndex,
        Variant = s.Variant,
        DependsOn = s.DependsOn,
        Weight = s.Weight,
        Status = Enum.Parse<StageRunStatus>(s.Status),
        Attempts = s.Attempts,
        Worker = s.Worker,
        DispatchedAt = s.DispatchedAt,
        StartedAt = s.StartedAt,
        FinishedAt = s.FinishedAt,
        WorkSeconds = s.WorkSeconds,
        CacheHit = s.CacheHit,
        Progress = s.Progress,
        ResultJson = s.Result?.GetRawText(),
        Error = s.Error,
    };
}
