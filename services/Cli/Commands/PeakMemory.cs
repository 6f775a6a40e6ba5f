using System.Runtime.InteropServices;

namespace Pipeline.Cli.Commands;

/// <summary>Peak resident memory from getrusage: this process, and the largest child it has waited for (ffmpeg).</summary>
public static partial class PeakMemory
{
    private const int RusageSelf = 0;
    private const int RusageChildren = -1;

    public static (long SelfMb, long ChildrenMb) Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (Environment.WorkingSet / (1 << 20), 0);
        }

        return (MaxRssMb(RusageSelf), MaxRssMb(RusageChildren));
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
