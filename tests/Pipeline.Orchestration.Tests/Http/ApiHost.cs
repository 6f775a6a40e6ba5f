using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Api;
using Pipeline.Api.Dashboard;
using Pipeline.Api.Http;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>The Api service as Program.cs wires it (embedded settings: in-memory bus, SQLite, a folder store) on a real loopback port.</summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ScratchDirectory _scratch;

    private ApiHost(WebApplication app, ScratchDirectory scratch, HttpClient client)
    {
        _app = app;
        _scratch = scratch;
        Client = client;
    }

    public HttpClient Client { get; }

    public IObjectStore Store => _app.Services.GetRequiredService<IObjectStore>();

    public IServiceProvider Services => _app.Services;

    /// <summary>Every key in the store, for checks that a refused upload left nothing behind.</summary>
    public async Task<List<string>> StoredKeysAsync()
    {
        var keys = new List<string>();
        await foreach (var info in Store.ListAsync(string.Empty, TestContext.Current.CancellationToken))
        {
            keys.Add(info.Key);
        }

        return keys;
    }

    public static async Task<ApiHost> StartAsync(long maxUploadBytes = 1 << 20)
    {
        var scratch = new ScratchDirectory("api");
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JobStore:ConnectionString"] = $"Data Source={scratch.File("jobs.db")}",
            ["ObjectStore:LocalRoot"] = scratch.File("store"),
            ["Api:MaxUploadBytes"] = maxUploadBytes.ToString(),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults("api-test");
        builder.AddJobOrchestration();
        builder.AddHttpApi();
        builder.AddPipelineBus(bus => bus.AddOrchestrationConsumers());
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapHttpApi();
        app.MapDashboard();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiHost(app, scratch, new HttpClient { BaseAddress = new Uri(address) });
    }

    public async Task<HttpResponseMessage> PutInputAsync(string sha256, string name, byte[] body, bool declareLength = true)
    {
        HttpContent content = declareLength ? new ByteArrayContent(body) : new StreamContent(new NoLengthStream(body));
        return await Client.PutAsync($"v1/inputs/{sha256}/{name}", content, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> PostJobAsync(Pipeline.Contracts.Jobs.JobSpec spec) =>
        Client.PostAsJsonAsync("v1/jobs", spec, Pipeline.Api.Orchestration.JobJson.Options, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _scratch.Dispose();
    }

    /// <summary>A body whose length the client cannot know up front: sent chunked, checked only as it streams.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
