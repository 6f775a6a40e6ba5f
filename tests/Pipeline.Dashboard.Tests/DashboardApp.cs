using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Persistence;
using Pipeline.Cli.Embedded;
using Pipeline.TestSupport;

namespace Pipeline.Dashboard.Tests;

/// <summary>
/// The app as <c>pipeline serve</c> hosts it (every stage, SQLite, a folder store) on a loopback port, and Debian's
/// chromium driven by Playwright. Absent chromium or test media skips the tests locally and fails them under CI=true.
/// </summary>
public sealed class DashboardApp : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly ScratchDirectory _scratch = new("dashboard");
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>A key of tenant <c>dashboard</c>: the API client sends it, and each page logs in with it.</summary>
    public string Key { get; private set; } = string.Empty;

    public static string Screenshots { get; } = Path.Combine(Repository.Root, "artifacts", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            return; // each test skips (or fails under CI) through Require()
        }

        _app = EmbeddedServer.Build(new ServeSettings(Port: 0, Configuration: new Dictionary<string, string?>
        {
            ["JobStore:ConnectionString"] = $"Data Source={_scratch.File("jobs.db")}",
            ["ObjectStore:LocalRoot"] = _scratch.File("store"),
        }));
        await _app.StartAsync();
        BaseAddress = EmbeddedServer.Address(_app);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
            Key = (await ApiKeyIssuer.CreateAsync(db, "dashboard", ApiKeyIssuer.AllScopes, "browser tests", DateTimeOffset.UtcNow, CancellationToken.None)).Key;
        }

        Client = new HttpClient { BaseAddress = BaseAddress };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>The browser, or a skip (a failure under CI=true) when this machine has no chromium.</summary>
    public IBrowser Require()
    {
        TestData.RequireFile(Chromium, "install Debian's chromium (apt-get install chromium; infra/install-deps.sh does)");
        return Browser;
    }

    /// <summary>A job submitted through the API's multipart form, as the dashboard's form submits it.</summary>
    public async Task<Guid> SubmitAsync(string mediaField, string mediaPath, string audioPath)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (field, path) in new[] { (mediaField, mediaPath), ("audio", audioPath) })
        {
            var part = new StreamContent(File.OpenRead(path));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, field, Path.GetFileName(path));
        }

        using var response = await Client.PostAsync("v1/jobs", form, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _scratch.Dispose();
    }
}
