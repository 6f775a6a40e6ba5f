using Microsoft.Playwright;
using Pipeline.TestSupport;

namespace Pipeline.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser against the real pipeline: submit from the form and watch the job finish live,
/// play its output, cancel a job, retry a failed one. Screenshots go to artifacts/screenshots/ (also on failure).
/// </summary>
public sealed class DashboardTests(DashboardApp app) : IClassFixture<DashboardApp>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task A_dub_submitted_from_the_form_completes_live_on_its_page_and_its_output_plays()
    {
        var browser = app.Require();
        var video = TestData.Require("video/vox_00086.mp4");
        var audio = TestData.Require("audio/mead_m006_16k.wav");
        await WithPageAsync(browser, app.Key, "submit-dub", async page =>
        {
            await page.GotoAsync(new Uri(app.BaseAddress, "/submit").ToString());
            await page.GetByLabel("Video or photo of the speaker").SetInputFilesAsync(video);
            await page.GetByLabel("New speech (audio file)").SetInputFilesAsync(audio);
            await page.GetByLabel("Emotion", new() { Exact = true }).SelectOptionAsync("Happy");
            await ShotAsync(page, "submit-form");
            await page.GetByRole(AriaRole.Button, new() { Name = "Submit job" }).ClickAsync();
            // The address, polled, as after login: WaitForURL's "load" wait timed out in CI on a page that had arrived
            // (its failure screenshot showed the job page, the job already succeeded).
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/jobs/[0-9a-f-]{36}$"), new() { Timeout = 90_000 });

            // From here on the page must not load again: every change arrives over the event stream. A mark on this
            // document tells: a reload would start a new one without it. (Counting "load" events did not: the job
            // page's own load event can come after its address, and was once counted as a reload in CI.)
            await page.EvaluateAsync("() => { window.__sameDocument = true; }");
            var seen = new List<string>();
            var deadline = DateTime.UtcNow + JobTimeout;
            var shotRunning = false;
            while (true)
            {
                var status = await page.Locator("#job-status .status").GetAttributeAsync("data-status") ?? "";
                var progress = await page.Locator("#job-progress").TextContentAsync() ?? "";
                var state = $"{status} {progress}";
                if (seen.Count == 0 || seen[^1] != state)
                {
                    seen.Add(state);
                }

                if (status == "Running" && !shotRunning && progress != "0%")
                {
                    await ShotAsync(page, "job-running");
                    shotRunning = true;
                }

                if (status is "Succeeded" or "Failed" or "Cancelled")
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"the job did not finish in {JobTimeout}: {string.Join(" -> ", seen)}");
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            Assert.True(seen[^1].StartsWith("Succeeded", StringComparison.Ordinal), $"the job ended {seen[^1]}: {await page.Locator("#job-failure").TextContentAsync()}");
            Assert.True(seen.Count >= 3, $"the page showed too few live changes: {string.Join(" -> ", seen)}");
            Assert.Equal("100%", seen[^1].Split(' ')[1]);
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");

            // Play the output: it must decode (readyState >= 2, HAVE_CURRENT_DATA), advance and report no error.
            var player = page.Locator("#output-video");
            await player.WaitForAsync();
            var played = await player.EvaluateAsync<double[]>(
                """
                async v => {
                  v.muted = true;
                  await v.play();
                  const until = Date.now() + 20000;
                  while (v.currentTime < 0.5 && !v.error && Date.now() < until) await new Promise(r => setTimeout(r, 100));
                  return [v.currentTime, v.readyState, v.error ? v.error.code : 0, v.duration];
                }
                """);
            await ShotAsync(page, "job-succeeded");
            Assert.Equal(0, played[2]);
            Assert.True(played[1] >= 2, $"readyState {played[1]}");
            Assert.True(played[0] >= 0.5, $"the video did not advance (currentTime {played[0]}, duration {played[3]})");

            await page.GotoAsync(app.BaseAddress.ToString());
            await page.Locator("#jobs tbody tr").First.WaitForAsync();
            await ShotAsync(page, "job-list");
        });
    }

    [Fact]
    public async Task A_job_cancelled_on_its_page_ends_cancelled()
    {
        var browser = app.Require();
        var id = await app.SubmitAsync("video", TestData.Require("video/hdtf_katiehill.mp4"), TestData.Require("audio/en_radio31.wav"));
        await WithPageAsync(browser, app.Key, "cancel", async page =>
        {
            await page.GotoAsync(new Uri(app.BaseAddress, $"/jobs/{id}").ToString());
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Assertions.Expect(page.Locator("#job-status .status")).ToHaveAttributeAsync("data-status", "Cancelled", new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToHaveCountAsync(0);
            await ShotAsync(page, "job-cancelled");
        });
    }

    /// <summary>
    /// The "audio" is a PNG: ingest fails the job for a real reason. Retry (<c>POST /v1/jobs/{id}/retry</c>) re-queues
    /// the failed stage, which runs again: a second attempt appears on the page.
    /// </summary>
    [Fact]
    public async Task A_failed_job_shows_its_reason_and_retry_runs_it_again()
    {
        var browser = app.Require();
        var id = await app.SubmitAsync("video", TestData.Require("video/vox_00086.mp4"), TestData.Require("image/eamm_21.png"));
        await WithPageAsync(browser, app.Key, "retry", async page =>
        {
            await page.GotoAsync(new Uri(app.BaseAddress, $"/jobs/{id}").ToString());
            await Assertions.Expect(page.Locator("#job-status .status")).ToHaveAttributeAsync("data-status", "Failed", new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("#failure-reason")).ToContainTextAsync("ingest");
            var attempts = page.Locator("#attempts tbody tr");
            await Assertions.Expect(attempts).ToHaveCountAsync(1);
            await ShotAsync(page, "job-failed");

            await page.GetByRole(AriaRole.Button, new() { Name = "Retry failed stage" }).ClickAsync();
            await Assertions.Expect(attempts).ToHaveCountAsync(2, new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("#action-message")).ToBeEmptyAsync();
            await ShotAsync(page, "job-retried");
        });
    }

    [Fact]
    public async Task The_other_pages_render_with_honest_empty_states()
    {
        var browser = app.Require();
        await WithPageAsync(browser, app.Key, "pages", async page =>
        {
            await page.GotoAsync(new Uri(app.BaseAddress, "/schedules").ToString());
            await Assertions.Expect(page.Locator("#schedules-empty")).ToContainTextAsync("No schedules");
            await ShotAsync(page, "schedules");

            await page.GotoAsync(new Uri(app.BaseAddress, "/batches").ToString());
            await Assertions.Expect(page.Locator("main .empty")).ToBeVisibleAsync();
            await ShotAsync(page, "batches");

            await page.GotoAsync(new Uri(app.BaseAddress, $"/batches/{Guid.NewGuid()}").ToString());
            await Assertions.Expect(page.Locator("#batch .empty")).ToBeVisibleAsync();
            await ShotAsync(page, "batch");

            await page.GotoAsync(new Uri(app.BaseAddress, "/login").ToString());
            await Assertions.Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
            await ShotAsync(page, "login");
        });
    }

    /// <summary>A fresh browser context, logged in through the login page with the key, as a user does.</summary>
    private async Task WithPageAsync(IBrowser browser, string key, string name, Func<IPage, Task> test)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        // CI runs this project beside every other test project on two cores, with a real dub running in this app: the
        // 30 s and 5 s defaults measure that load, not the dashboard (a login navigation once timed out at 30 s).
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(90_000);
        Assertions.SetDefaultExpectTimeout(20_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, message) => errors.Add(message);
        try
        {
            await page.GotoAsync(new Uri(app.BaseAddress, "/login").ToString());
            await page.GetByLabel("API key").FillAsync(key);
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Log in" }).ClickAsync();
            // Only the address is awaited, polled: the tests' assertions wait for what they need. Waiting for a load
            // state here timed out in CI twice, once for "load" and once for DOMContentLoaded with Playwright's log
            // saying "NetworkIdle" had fired, so the page had loaded and the lifecycle wait missed it.
            await Assertions.Expect(page).ToHaveURLAsync(new Uri(app.BaseAddress, "/").ToString(), new() { Timeout = 90_000 });
            await test(page);
            Assert.True(errors.Count == 0, $"script errors on the page: {string.Join("; ", errors)}");
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, $"{name}-failure.png"), FullPage = true });
            throw;
        }
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, $"{name}.png"), FullPage = true });
}
