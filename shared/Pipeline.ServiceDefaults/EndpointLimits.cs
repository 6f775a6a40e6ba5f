namespace Pipeline.ServiceDefaults;

/// <summary>
/// How much one worker takes from a queue at once, per queue (configuration "Bus:Endpoints:{queue}"): a deployment
/// tunes a worker to its machine without a rebuild, e.g. Bus__Endpoints__render-chunk__ConcurrentMessageLimit=2.
/// </summary>
public sealed class EndpointLimits
{
    /// <summary>Messages handled side by side; unset keeps the stage's own default.</summary>
    public int? ConcurrentMessageLimit { get; set; }

    /// <summary>Messages the broker hands this worker ahead of time; unset follows the concurrency.</summary>
    public int? PrefetchCount { get; set; }

    /// <summary>
    /// The GPUs this machine shows (CUDA_VISIBLE_DEVICES when set, else the NVIDIA driver's list): a GPU render worker
    /// takes one chunk per GPU, as two chunks on one GPU only queue for it and double its memory.
    /// </summary>
    public static int GpuCount()
    {
        var visible = Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES");
        if (visible is not null)
        {
            return visible.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Count(d => d != "-1");
        }

        const string Driver = "/proc/driver/nvidia/gpus";
        return Directory.Exists(Driver) ? Directory.GetDirectories(Driver).Length : 0;
    }
}
