using System.Text;
using Microsoft.Extensions.Logging;

namespace Pipeline.Media;

/// <summary>
/// Reads a tool's stderr as it comes: splits on '\r' as well as '\n' (ffmpeg redraws its stats line with '\r'),
/// turns stats lines into progress and keeps the last lines for error reports. It must keep reading, or
/// ffmpeg blocks once the pipe buffer fills.
/// </summary>
internal sealed class StderrCollector
{
    private const int TailLines = 64;
    private readonly Queue<string> _tail = new();
    private readonly ILogger _logger;
    private readonly double? _totalSeconds;
    private readonly IProgress<double>? _progress;
    private readonly object _gate = new();
    private string? _lastStats;

    public StderrCollector(ILogger logger, double? totalSeconds, IProgress<double>? progress)
    {
        _logger = logger;
        _totalSeconds = totalSeconds is > 0 ? totalSeconds : null;
        _progress = progress;
    }

    public TimeSpan? LastTime { get; private set; }

    public async Task PumpAsync(TextReader reader)
    {
        var buffer = new char[4096];
        var line = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
        {
            foreach (var c in buffer.AsSpan(0, read))
            {
                if (c is '\r' or '\n')
                {
                    Flush(line);
                }
                else
                {
                    line.Append(c);
                }
            }
        }

        Flush(line);
    }

    /// <summary>The last diagnostic lines, then the last stats line (where the run got to).</summary>
    public string Tail()
    {
        lock (_gate)
        {
            var lines = _lastStats is null ? _tail.ToArray() : [.. _tail, _lastStats];
            return string.Join('\n', lines);
        }
    }

    private void Flush(StringBuilder line)
    {
        if (line.Length == 0)
        {
            return;
        }

        var text = line.ToString();
        line.Clear();
        if (FfmpegProgressParser.IsStatsLine(text) || text.StartsWith("out_time=", StringComparison.Ordinal))
        {
            lock (_gate)
            {
                _lastStats = text;
            }

            if (FfmpegProgressParser.TryParseTime(text, out var time))
            {
                LastTime = time;
                if (_totalSeconds is { } total && _progress is not null)
                {
                    _progress.Report(Math.Clamp(time.TotalSeconds / total, 0, 1));
                }
            }

            return;
        }

        _logger.LogTrace("{Line}", text);
        lock (_gate)
        {
            _tail.Enqueue(text);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
