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
/// holds the same bytes), the job is submitted and followed by polling, and the output is downloaded from it. Every
/// request carries the API key (<c>--api-key</c> or PIPELINE_API_KEY) as a bearer token.
/// </summary>
public sealed class RemoteJobHost : IJobHost
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan SubmitGrace = TimeSpan.FromMinutes(2);
    private const int RateLimitRetries = 5;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly HttpClient _http;
    private readonly Uri _server;

    private readonly bool _hasKey;

    private RemoteJobHost(Uri server, string? apiKey)
    {
        _server = server;
        _http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        _hasKey = !string.IsNullOrWhiteSpace(apiKey);
        if (_hasKey)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey!.Trim());
        }
    }

    public static RemoteJobHost Connect(RemoteServer server)
    {
        if (!Uri.TryCreate(server.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--server '{server.Url}' is not an http(s) URL such as http://127.0.0.1:5080 (infra/stack.sh up prints it)");
        }

        return new RemoteJobHost(uri, server.ApiKey);
    }

    public async Task<ArtifactRef> ImportAsync(string path, string option, CancellationToken ct)
    {
        var (file, sha) = await InputImporter.HashAsync(path, option, ct);
        var url = $"v1/inputs/{sha}/{Uri.EscapeDataString(ObjectKey.SanitizeName(file.Name))}";

        // The Api keeps inputs under the caller's tenant: the key a spec names them by is the one it answers with.
        using (var held = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), ct))
        {
            if (held.StatusCode != HttpStatusCode.NotFound)
            {
                var existing = await ReadAsync<InputView>(held, $"checking whether the Api holds {option} '{path}'", ct);
                return new ArtifactRef(existing.Key, existing.SizeBytes);
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
            for (var attempt = 0; ; attempt++)
            {
                using var message = request();
                var idempotent = message.Method == HttpMethod.Get || message.Method == HttpMethod.Head;
                var response = await _http.SendAsync(message, completion, ct);

                // Over the key's rate limit: reads wait as long as the Api asks and try again; writes report it.
                if (response.StatusCode != HttpStatusCode.TooManyRequests || !idempotent || attempt == RateLimitRetries)
                {
                    return response;
                }

                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                response.Dispose();
                await Task.Delay(wait, ct);
            }
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

    private async Task<string> ErrorOfAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var reason = await ReasonOfAsync(response, ct);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized when !_hasKey =>
                $"the Api at {_server} needs an API key: pass --api-key KEY or set PIPELINE_API_KEY (infra/stack.sh up prints one; pipeline keys create makes one)",
            HttpStatusCode.Unauthorized => $"the Api at {_server} refused the API key ({reason}); check --api-key or PIPELINE_API_KEY",
            HttpStatusCode.Forbidden => $"the API key may not do this ({reason}); use a key with the jobs:read and jobs:write scopes",
            HttpStatusCode.TooManyRequests =>
                $"the Api at {_server} is rate-limiting this API key ({reason}); wait {response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1:0} s and try again, or raise Api__RateLimit__PermitsPerSecond",
            _ => reason,
        };
    }

    private static async Task<string> ReasonOfAsync(HttpResponseMessage response, CancellationToken ct)
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
