using System.Globalization;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Peak resident memory of this process and every process below it (ffmpeg, PocketSphinx), summed, sampled from
/// /proc while it runs. getrusage's figure for children is no use here: a child's peak counts the parent's pages it
/// shared between fork and exec, so it reads as large as the parent.
/// </summary>
public sealed class TreeMemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly long _pageBytes = Environment.SystemPageSize;
    private long _peakBytes;

    public TreeMemorySampler(TimeSpan interval) => _loop = OperatingSystem.IsLinux() ? RunAsync(interval) : Task.CompletedTask;

    /// <summary>The largest summed resident set seen so far, in MB (0 where /proc is not there).</summary>
    public long PeakMb => Interlocked.Read(ref _peakBytes) / (1 << 20);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            var now = Sample();
            if (now > Interlocked.Read(ref _peakBytes))
            {
                Interlocked.Exchange(ref _peakBytes, now);
            }
        }
        while (await timer.WaitForNextTickAsync(_stop.Token));
    }

    private long Sample()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && TryReadParent(pid, out var parent))
            {
                parents[pid] = parent;
            }
        }

        var self = Environment.ProcessId;
        long total = 0;
        foreach (var pid in parents.Keys)
        {
            // In the tree when some ancestor is this process.
            var p = pid;
            for (var depth = 0; depth < 64 && p > 1 && p != self; depth++)
            {
                p = parents.GetValueOrDefault(p);
            }

            if (p == self)
            {
                total += ResidentBytes(pid);
            }
        }

        return total;
    }

    private static bool TryReadParent(int pid, out int parent)
    {
        parent = 0;
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out parent);
        }
        catch (IOException)
        {
            return false; // the process ended between listing and reading
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private long ResidentBytes(int pid)
    {
        try
        {
            var statm = File.ReadAllText($"/proc/{pid}/statm").Split(' ');
            return statm.Length > 1 && long.TryParse(statm[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages) ? pages * _pageBytes : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
