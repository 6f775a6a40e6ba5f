namespace Pipeline.ServiceDefaults;

/// <summary>
/// Stage work computes on thread-pool threads (feature extraction, face tracking, drawing), several stages at once in
/// one worker. With the pool's default floor of one thread per core, all of them can be busy computing, and the bus's
/// own continuations (the next delivery, a publish's confirm, a stage's completion event) queue until the pool adds a
/// thread, which it does about twice a second. On 2 cores, stage events reached the Api 1 to 1.5 s late while several
/// stages computed (on a machine loaded by other work too, so not the pool's doing alone). A higher floor lets the
/// pool start a thread for them at once. It adds no computing: how many stages a worker runs at once
/// is bounded by its queues' concurrency limits, and a thread is only created when work is waiting for one.
/// </summary>
public static class ThreadPoolFloor
{
    /// <summary>Enough for every stage a worker runs at once to hold a thread and the bus still to find one free.</summary>
    public const int MinWorkerThreads = 32;

    public static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < MinWorkerThreads)
        {
            ThreadPool.SetMinThreads(MinWorkerThreads, io);
        }
    }
}
