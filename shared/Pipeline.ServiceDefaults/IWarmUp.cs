namespace Pipeline.ServiceDefaults;

/// <summary>
/// Work a service does once before its bus takes the first message (<see cref="ConsumerWarmUp"/> runs every one
/// registered, in one scope): what a first message would otherwise pay for, such as compiling its queries.
/// </summary>
public interface IWarmUp
{
    Task WarmUpAsync(CancellationToken cancellationToken);
}
