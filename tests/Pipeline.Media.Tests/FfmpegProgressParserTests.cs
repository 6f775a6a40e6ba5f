using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Pipeline.Media.Tests;

public sealed class FfmpegProgressParserTests
{
    [Theory]
    [InlineData("frame=   50 fps= 47 q=28.0 size=       0kB time=00:00:02.02 bitrate=   0.2kbits/s speed=1.88x    ", 2.02)]
    [InlineData("size=     257kB time=00:00:05.47 bitrate= 384.1kbits/s speed=2.85e+03x    ", 5.47)]
    [InlineData("out_time=00:01:02.500000", 62.5)]
    [InlineData("frame=1 time=12:00:00.00 bitrate=N/A", 43200)]
    [InlineData("frame=    0 fps=0.0 q=0.0 size=       0kB time=-00:00:00.04 bitrate=N/A", -0.04)]
    public void Reads_time(string line, double seconds)
    {
        Assert.True(FfmpegProgressParser.TryParseTime(line, out var time));
        Assert.Equal(seconds, time.TotalSeconds, 3);
    }

    [Theory]
    [InlineData("frame=    0 fps=0.0 q=0.0 size=       0kB time=N/A bitrate=N/A speed=N/A")]
    [InlineData("    creation_time   : 2020-01-01T00:00:00.000000Z")]
    [InlineData("[Parsed_showinfo_0 @ 0x1] n:0 pts:0 pts_time:0")]
    [InlineData("")]
    public void Ignores_lines_without_a_time(string line)
    {
        Assert.False(FfmpegProgressParser.TryParseTime(line, out _));
    }

    [Fact]
    public async Task Captured_stderr_split_on_carriage_returns_gives_rising_progress()
    {
        var stderr = Captured.Text("stderr_encode_progress.txt");
        Assert.Contains('\r', stderr);
        var fractions = new List<double>();
        var collector = new StderrCollector(NullLogger.Instance, 5.04, new SyncProgress(fractions.Add));

        await collector.PumpAsync(new StringReader(stderr));

        Assert.True(fractions.Count >= 10, $"only {fractions.Count} progress reports");
        Assert.Equal(fractions.Order(), fractions);
        Assert.InRange(fractions[^1], 0.99, 1.0);
        Assert.Equal(5.01, collector.LastTime!.Value.TotalSeconds, 2);

        // Stats lines are summarised by the last one; the libx264 summary lines are kept.
        var tail = collector.Tail();
        Assert.Contains("kb/s:", tail, StringComparison.Ordinal);
        Assert.Single(tail.Split('\n'), l => l.StartsWith("frame=", StringComparison.Ordinal));
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
