using System.Runtime.InteropServices;

namespace Pipeline.Cli.Commands;

/// <summary>
/// From getrusage: peak resident memory of this process and of the largest child it has waited for (ffmpeg), and the
/// CPU time (user + system) of this process and of every child it has waited for.
/// </summary>
public static partial class ResourceUsage
{
    private const int RusageSelf = 0;
    private const int RusageChildren = -1;

    public static (long SelfMb, long ChildrenMb) PeakRss()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (Environment.WorkingSet / (1 << 20), 0);
        }

        return (MaxRssMb(RusageSelf), MaxRssMb(RusageChildren));
    }

    /// <summary>
    /// CPU seconds used so far by this process, and by all its children that have ended (the runtime reaps every tool it
    /// starts, so after a stage all of its ffmpeg and PocketSphinx time is here, exactly). Zeros off Linux.
    /// </summary>
    public static (double SelfSeconds, double ChildrenSeconds) CpuSeconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (0, 0);
        }

        return (Cpu(RusageSelf), Cpu(RusageChildren));
    }

    private static double Cpu(int who)
    {
        var usage = new Rusage();
        return GetRusage(who, ref usage) == 0 ? usage.UtimeSec + usage.StimeSec + ((usage.UtimeUsec + usage.StimeUsec) / 1e6) : 0;
    }

    private static long MaxRssMb(int who)
    {
        var usage = new Rusage();
        return GetRusage(who, ref usage) == 0 ? usage.MaxRssKb / 1024 : -1;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, ref Rusage usage);

    // struct rusage on 64-bit Linux: two timevals, then 14 longs; ru_maxrss (KiB) is the first long.
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UtimeSec;
        public long UtimeUsec;
        public long StimeSec;
        public long StimeUsec;
        public long MaxRssKb;
        public long Ixrss;
        public long Idrss;
        public long Isrss;
        public long Minflt;
        public long Majflt;
        public long Nswap;
        public long Inblock;
        public long Oublock;
        public long Msgsnd;
        public long Msgrcv;
        public long Nsignals;
        public long Nvcsw;
        public long Nivcsw;
    }
}
