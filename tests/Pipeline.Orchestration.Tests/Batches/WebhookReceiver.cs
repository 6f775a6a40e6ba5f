using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Orchestration.Tests.Batches;

/// <summary>A real HTTP server on a loopback port that records every webhook POST and answers with the next scripted status.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <param name="answers">Status codes for the first requests, in order; every later request gets 200.</param>
    public static async Task<WebhookReceiver> StartAsync(params int[] answers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var queue = new ConcurrentQueue<int>(answers);
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            self!.Requests.Enqueue(new Received(
                body,
                request.Headers["Pipeline-Signature"].ToString(),
                request.Headers["Pipeline-Delivery"].ToString(),
                request.Headers["Pipeline-Event"].ToString(),
                DateTimeOffset.UtcNow));
            return Results.StatusCode(queue.TryDequeue(out var status) ? status : 200);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookReceiver(app, $"{address}/hook");
        return self;
    }

    public async Task<List<Received>> WaitForAsync(Func<IReadOnlyCollection<Received>, bool> done, TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        while (!done(Requests) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return [.. Requests];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Received(string Body, string Signature, string Delivery, string Event, DateTimeOffset At);
}
