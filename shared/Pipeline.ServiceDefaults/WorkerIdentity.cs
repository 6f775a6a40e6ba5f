namespace Pipeline.ServiceDefaults;

/// <summary>Names this process in stage-run records and logs: service@host:pid.</summary>
public sealed record WorkerIdentity(string Name)
{
    public static WorkerIdentity For(string service) =>
        new($"{service}@{Environment.MachineName}:{Environment.ProcessId}");
}
