using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.TestSupport;
using Xunit;

namespace Pipeline.Media.Tests;

public sealed class FfmpegRunnerTests
{
    private static readonly string[] LongRun = ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "600", "-f", "null", "-"];

    [Fact]
    public async Task Cancellation_stops_ffmpeg_quickly()
    {
        var tools = new MediaTools();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<MediaException>(() => tools.Runner.RunAsync(LongRun, ct: cts.Token));
        Assert.Equal(MediaErrorKind.Cancelled, e.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Timeout_is_Timeout()
    {
        var tools = new MediaTools();
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<MediaException>(() => tools.Runner.RunAsync(LongRun, new FfmpegRunOptions(Timeout: TimeSpan.FromSeconds(1)), ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.Timeout, e.Kind);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Ffmpeg_that_cannot_see_q_is_killed_after_the_grace_period()
    {
        // stdout is a pipe nobody reads: ffmpeg blocks writing and never gets to read 'q'.
        var tools = new MediaTools(new MediaToolOptions { StopGrace = TimeSpan.FromMilliseconds(500) });
        await using var process = tools.Runner.Start(["-f", "lavfi", "-i", "testsrc=size=640x480", "-f", "rawvideo", "pipe:1"], redirectStdout: true);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        await process.StopAsync();
        Assert.True(process.HasExited || await WaitAsync(() => process.HasExited));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        var e = await Assert.ThrowsAsync<MediaException>(() => process.WaitForExitAsync(ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.Cancelled, e.Kind);
    }

    [Fact]
    public async Task Logs_the_full_command_line_and_reports_progress()
    {
        using var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var tools = new MediaTools(logs: factory);
        var reports = new List<double>();
        var result = await tools.Runner.RunAsync(
            ["-f", "lavfi", "-i", "testsrc=size=1280x720:rate=25", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-f", "null", "-"],
            new FfmpegRunOptions(TotalSeconds: 3, Progress: new SyncProgress(reports.Add)),
            TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("-i testsrc=size=1280x720:rate=25 -t 3 -c:v libx264", StringComparison.Ordinal));
        Assert.Equal(1.0, reports[^1]);
        Assert.All(reports, r => Assert.InRange(r, 0, 1));
    }

    [Fact]
    public async Task Failure_is_classified_with_the_file_named()
    {
        using var scratch = new ScratchDirectory();
        var text = scratch.File("notes.mp4");
        await File.WriteAllTextAsync(text, "hello", TestContext.Current.CancellationToken);
        var tools = new MediaTools();
        var e = await Assert.ThrowsAsync<MediaException>(() => tools.Runner.RunAsync(["-i", text, "-f", "null", "-"], ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.NotMedia, e.Kind);
        Assert.Equal(text, e.FilePath);
        MediaProberTests.AssertUserMessage(e, "notes.mp4");
    }

    [Fact]
    public async Task Missing_ffmpeg_is_ToolMissing()
    {
        var tools = new MediaTools(new MediaToolOptions { FfmpegPath = "/nonexistent/ffmpeg" });
        var e = await Assert.ThrowsAsync<MediaException>(() => tools.Runner.RunAsync(["-version"], ct: TestContext.Current.CancellationToken));
        Assert.Equal(MediaErrorKind.ToolMissing, e.Kind);
        Assert.Contains("apt-get install ffmpeg", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Services_resolve_from_configuration()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Media:FfmpegPath"] = "/opt/ffmpeg", ["Media:StopGrace"] = "00:00:01" })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(config)
            .AddLogging()
            .AddMedia();
        using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<FfmpegRunner>();
        Assert.Equal("/opt/ffmpeg", runner.Options.FfmpegPath);
        Assert.Equal(TimeSpan.FromSeconds(1), runner.Options.StopGrace);
        Assert.NotNull(provider.GetRequiredService<MediaEditor>());
        Assert.NotNull(provider.GetRequiredService<MediaProber>());
    }

    private static async Task<bool> WaitAsync(Func<bool> condition)
    {
        for (var i = 0; i < 50 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        return condition();
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
