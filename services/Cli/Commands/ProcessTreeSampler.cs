using System.Globalization;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Samples this process and every process below it (ffmpeg, PocketSphinx) from /proc while it runs: the peak of their
/// summed resident memory (and what it was made of), the peak of their summed proportional set size, and each one's
/// CPU time, by tool. getrusage's figure for children is no use for memory: a child's peak counts the parent's pages it
/// shared between fork and exec, so it reads as large as the parent. For CPU getrusage is exact but only in total
/// (<see cref="ResourceUsage.CpuSeconds"/>); the split by tool is this sampler's, and a process's time after its last
/// sample (at most one interval) is missed. The same sharing fools /proc: a child caught between fork and exec still
/// runs this program, and its resident set reads as this process's whole, so such a child adds no memory here.
/// </summary>
public sealed class ProcessTreeSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly long _pageBytes = Environment.SystemPageSize;
    private readonly double _ticksPerSecond = 100; // USER_HZ: 100 on every Linux architecture .NET runs on
    private readonly Lock _cpuLock = new();

    // Keyed by pid and start time, so a pid the kernel reuses counts as a new process.
    private readonly Dictionary<(int Pid, long Start), (string Tool, double Seconds)> _cpu = [];
    private long _peakBytes;
    private long _peakPssBytes;
    private Dictionary<string, long> _peakByTool = [];

    private const int PssEvery = 10;

    // This process's CPU before sampling began (start-up, earlier work): not counted.
    private readonly long _selfTicksBefore;

    // This process's command line, which a child shows until it has exec'd its own program.
    private readonly string[] _selfArgv;

    public ProcessTreeSampler(TimeSpan interval)
    {
        _selfTicksBefore = OperatingSystem.IsLinux() && TryReadStat(Environment.ProcessId, out var self) ? self.CpuTicks : 0;
        _selfArgv = OperatingSystem.IsLinux() ? CommandLine(Environment.ProcessId) : [];
        _loop = OperatingSystem.IsLinux() ? RunAsync(interval) : Task.CompletedTask;
    }

    /// <summary>The largest summed resident set seen so far, in MB (0 where /proc is not there).</summary>
    public long PeakMb => Interlocked.Read(ref _peakBytes) / (1 << 20);

    /// <summary>
    /// The largest summed proportional set size (PSS) seen so far, in MB (0 where /proc has no smaps_rollup). The
    /// resident sets' sum counts the pages processes share (every ffmpeg's libav libraries, the runtime's files) once
    /// per process; PSS splits each shared page among its sharers, so this sum is the memory the job really holds.
    /// Sampled every <see cref="PssEvery"/>-th tick only: the kernel walks every mapping to answer, about 9 ms of
    /// system time for this process's ~1900 mappings, which at every 100 ms tick added some 7 CPU s to a 60 s dub.
    /// </summary>
    public long PeakPssMb => Interlocked.Read(ref _peakPssBytes) / (1 << 20);

    /// <summary>
    /// At the moment of <see cref="PeakMb"/>: each tool's resident memory, summed over its processes, in MB, largest
    /// first (tools as <see cref="ToolOf"/> names them). Shows what the peak is made of: which processes ran at once.
    /// </summary>
    public IReadOnlyDictionary<string, long> PeakMbByTool() =>
        Volatile.Read(ref _peakByTool).OrderByDescending(p => p.Value)
            .ToDictionary(p => p.Key, p => p.Value / (1 << 20), StringComparer.Ordinal);

    /// <summary>CPU seconds by tool (see <see cref="ToolOf"/>) since sampling began, as last sampled, rounded to 0.1 s.</summary>
    public IReadOnlyDictionary<string, double> CpuSecondsByTool()
    {
        lock (_cpuLock)
        {
            return _cpu.Values.GroupBy(v => v.Tool).OrderByDescending(g => g.Sum(v => v.Seconds))
                .ToDictionary(g => g.Key, g => Math.Round(g.Sum(v => v.Seconds), 1), StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// What a process is, from its command line: <c>pipeline</c> (this process), <c>pocketsphinx</c>,
    /// <c>ffmpeg_encode</c> (x264 writing video), <c>ffmpeg_decode</c> (video decoded to raw frames),
    /// <c>ffmpeg_other</c> (audio, muxing, thumbnails), the program's own name, or <c>other</c> (seen only after it ended).
    /// </summary>
    public static string ToolOf(IReadOnlyList<string> argv, bool self)
    {
        if (self)
        {
            return "pipeline";
        }

        var program = argv.Count == 0 ? "other" : Path.GetFileName(argv[0]);
        if (program.StartsWith("pocketsphinx", StringComparison.Ordinal))
        {
            return "pocketsphinx";
        }

        if (program != "ffmpeg")
        {
            return program;
        }

        if (argv.Contains("libx264"))
        {
            return "ffmpeg_encode";
        }

        var rawOut = argv.Count >= 3 && argv[^1] == "pipe:1" && argv.Contains("rawvideo");
        return rawOut && !argv.Contains("-vn") ? "ffmpeg_decode" : "ffmpeg_other";
    }

    /// <summary>
    /// A child that still runs this program: caught between fork and exec, before it became ffmpeg or PocketSphinx.
    /// Its resident set is this process's own pages, shared until the exec replaces them, and counting it again once
    /// put a phantom 384 MB (named "dotnet") into a 10-minute dub's peak. The pipeline starts no copy of itself.
    /// </summary>
    public static bool IsUnexecedChild(IReadOnlyList<string> argv, IReadOnlyList<string> selfArgv, bool self) =>
        !self && argv.Count > 0 && argv.SequenceEqual(selfArgv, StringComparer.Ordinal);

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
        var tick = 0;
        do
        {
            var (rss, pss, byTool) = Sample(withPss: tick++ % PssEvery == 0);
            if (rss > Interlocked.Read(ref _peakBytes))
            {
                Interlocked.Exchange(ref _peakBytes, rss);
                Volatile.Write(ref _peakByTool, byTool);
            }

            if (pss > Interlocked.Read(ref _peakPssBytes))
            {
                Interlocked.Exchange(ref _peakPssBytes, pss);
            }
        }
        while (await timer.WaitForNextTickAsync(_stop.Token));
    }

    private (long Rss, long Pss, Dictionary<string, long> ByTool) Sample(bool withPss)
    {
        var stats = new Dictionary<int, Stat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && TryReadStat(pid, out var stat))
            {
                stats[pid] = stat;
            }
        }

        var self = Environment.ProcessId;
        long total = 0, proportional = 0;
        var byTool = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (pid, stat) in stats)
        {
            // In the tree when some ancestor is this process.
            var p = pid;
            for (var depth = 0; depth < 64 && p > 1 && p != self; depth++)
            {
                p = stats.TryGetValue(p, out var up) ? up.Parent : 0;
            }

            if (p != self)
            {
                continue;
            }

            // Named afresh each time: a child caught between fork and exec still shows this process's command line.
            var argv = CommandLine(pid);
            var unexeced = IsUnexecedChild(argv, _selfArgv, pid == self);
            var seconds = (stat.CpuTicks - (pid == self ? _selfTicksBefore : 0)) / _ticksPerSecond;
            var resident = unexeced ? 0 : ResidentBytes(pid);
            total += resident;
            proportional += withPss && !unexeced ? ProportionalBytes(pid) : 0;
            lock (_cpuLock)
            {
                var key = (pid, stat.Start);
                var tool = (argv.Length == 0 || unexeced) && _cpu.TryGetValue(key, out var known) ? known.Tool
                    : unexeced ? "other" : ToolOf(argv, pid == self);
                _cpu[key] = (tool, seconds);
                if (!unexeced)
                {
                    byTool[tool] = byTool.GetValueOrDefault(tool) + resident;
                }
            }
        }

        return (total, proportional, byTool);
    }

    private readonly record struct Stat(int Parent, long CpuTicks, long Start);

    private static bool TryReadStat(int pid, out Stat stat)
    {
        stat = default;
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'. From
            // there, field 1 is ppid, 11 and 12 utime and stime, 19 the start time (proc(5) fields 4, 14, 15, 22).
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length < 20
                || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
                || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
                || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
                || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                return false;
            }

            stat = new Stat(parent, user + system, start);
            return true;
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

    private static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
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

    private static long ProportionalBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                // "Pss:                1234 kB"
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    var kb = line.AsSpan(4).Trim().TrimEnd("kB").Trim();
                    return long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value * 1024 : 0;
                }
            }

            return 0;
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
