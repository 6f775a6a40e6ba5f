using System.Runtime.InteropServices;
using Pipeline.ServiceDefaults;

namespace Pipeline.Orchestration.Tests.Observability;

/// <summary>
/// Runs alone: other tests here finish stages, and each finish trims the whole process's heap, which would blur what
/// free() alone keeps.
/// </summary>
[CollectionDefinition(nameof(NativeHeapTrimTests), DisableParallelization = true)]
public sealed class NativeHeapTrimCollection;

/// <summary>What a stage's end does to memory that native code freed: glibc keeps it, the trim gives it back.</summary>
[Collection(nameof(NativeHeapTrimTests))]
public sealed class NativeHeapTrimTests
{
    private const int Blocks = 100_000;
    private const int BlockBytes = 2048; // small: from the heap, not mmap'd one by one
    private const long Mb = 1 << 20;

    [Fact]
    public void Native_memory_freed_inside_the_heap_goes_back_to_the_system()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "malloc_trim is glibc's");
        var blocks = new IntPtr[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(BlockBytes);
            for (var offset = 0; offset < BlockBytes; offset += 512)
            {
                Marshal.WriteByte(blocks[i], offset, 1); // resident, not just reserved
            }
        }

        var allocated = Environment.WorkingSet;
        // All but the last: it sits at the heap's top, so free() cannot shrink the heap from the end by itself.
        for (var i = 0; i < Blocks - 1; i++)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        var freed = Environment.WorkingSet;
        NativeHeapTrim.Run();
        var trimmed = Environment.WorkingSet;
        Marshal.FreeHGlobal(blocks[^1]);

        var size = (long)Blocks * BlockBytes; // about 195 MB
        Assert.True(allocated - freed < size / 2, $"free() alone gave back {(allocated - freed) / Mb} MB of {size / Mb} MB: nothing left to trim");
        Assert.True(freed - trimmed > size / 2, $"the trim gave back {(freed - trimmed) / Mb} MB of {size / Mb} MB (RSS {allocated / Mb} -> {freed / Mb} -> {trimmed / Mb} MB)");
    }
}
