using System.Net.Http.Headers;
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
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Persistence;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>
/// The Api service as Program.cs wires it (embedded settings: in-memory bus, SQLite, a folder store) on a real loopback
/// port. <see cref="Client"/> authenticates as tenant <see cref="Tenant"/> with every scope; <see cref="ClientForAsync"/>
/// makes clients for other tenants or scopes, with real keys issued the way the CLI issues them.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public const string Tenant = "tenant-a";

    private readonly WebApplication _app;
    private readonly ScratchDirectory _scratch;
    private readonly Uri _address;
    private readonly List<HttpClient> _clients = [];

    private ApiHost(WebApplication app, ScratchDirectory scratch, Uri address)
    {
        _app = app;
        _scratch = scratch;
        _address = address;
        Client = NewClient(null);
    }

    public HttpClient Client { get; private set; }

    /// <summary>The plaintext key <see cref="Client"/> sends.</summary>
    public string Key { get; private set; } = string.Empty;

    public Uri Address => _address;

    public IServiceProvider Services => _app.Services;

    public IObjectStore Store => _app.Services.GetRequiredService<IObjectStore>();

    /// <summary>Every route the Api mapped, as routing sees it.</summary>
    public IEnumerable<Microsoft.AspNetCore.Routing.RouteEndpoint> Endpoints =>
        ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>();

    /// <summary>The folder store's root: tests list it to prove nothing was stored.</summary>
    public string StoreRoot => _scratch.File("store");

    public string DatabasePath { get; private set; } = string.Empty;

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

    /// <param name="database">A SQLite file to use instead of a fresh one (e.g. the one <c>pipeline keys create</c> wrote).</param>
    /// <param name="settings">More configuration, e.g. Api:RateLimit:Burst or Webhooks:FirstRetryDelay.</param>
    public static async Task<ApiHost> StartAsync(long maxUploadBytes = 1 << 20, IReadOnlyDictionary<string, string?>? settings = null, string? database = null)
    {
        var scratch = new ScratchDirectory("api");
        var builder = WebApplication.CreateBuilder();
        var databasePath = database ?? scratch.File("jobs.db");
        var configuration = new Dictionary<string, string?>
        {
            ["JobStore:ConnectionString"] = $"Data Source={databasePath}",
            ["ObjectStore:LocalRoot"] = scratch.File("store"),
            ["Api:MaxUploadBytes"] = maxUploadBytes.ToString(),

            // Tests fire requests as fast as they can: only the rate-limit test sets a limit it can reach.
            ["Api:RateLimit:PermitsPerSecond"] = "100000",
            ["Api:RateLimit:Burst"] = "100000",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[name] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
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
        var host = new ApiHost(app, scratch, new Uri(address)) { DatabasePath = databasePath };
        var (client, key) = await host.ClientForAsync(Tenant, string.Join(' ', ApiKeyIssuer.AllScopes));
        host.Client = client;
        host.Key = key;
        return host;
    }

    /// <summary>A client authenticated by a new key of this tenant with these scopes (space-separated).</summary>
    public async Task<(HttpClient Client, string Key)> ClientForAsync(string tenant, string scopes = "jobs:read jobs:write")
    {
        var key = await CreateKeyAsync(tenant, scopes);
        return (NewClient(key), key);
    }

    public async Task<string> CreateKeyAsync(string tenant, string scopes = "jobs:read jobs:write", string? name = null)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        var created = await ApiKeyIssuer.CreateAsync(db, tenant, ApiKeyIssuer.ParseScopes(scopes), name, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        return created.Key;
    }

    /// <summary>A client that sends this key as a bearer token; null sends none.</summary>
    public HttpClient NewClient(string? key)
    {
        var client = new HttpClient { BaseAddress = _address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _clients.Add(client);
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<JobDbContext, Task<T>> use)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<JobDbContext>());
    }

    /// <summary>Every file under the store's root, temporary ones included.</summary>
    public IReadOnlyList<string> StoredFiles() =>
        Directory.Exists(StoreRoot) ? Directory.EnumerateFiles(StoreRoot, "*", SearchOption.AllDirectories).ToList() : [];

    public Task<HttpResponseMessage> PutInputAsync(string sha256, string name, byte[] body, bool declareLength = true) =>
        PutInputAsync(Client, sha256, name, body, declareLength);

    public static async Task<HttpResponseMessage> PutInputAsync(HttpClient client, string sha256, string name, byte[] body, bool declareLength = true)
    {
        HttpContent content = declareLength ? new ByteArrayContent(body) : new StreamContent(new NoLengthStream(body));
        return await client.PutAsync($"v1/inputs/{sha256}/{name}", content, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> PostJobAsync(Pipeline.Contracts.Jobs.JobSpec spec) => PostJobAsync(Client, spec);

    public static Task<HttpResponseMessage> PostJobAsync(HttpClient client, Pipeline.Contracts.Jobs.JobSpec spec) =>
        client.PostAsJsonAsync("v1/jobs", spec, Pipeline.Api.Orchestration.JobJson.Options, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
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
