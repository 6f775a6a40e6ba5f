using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Pipeline.Cli.Embedded;

/// <summary>Delivers one job's lifecycle events to the command that is waiting for it.</summary>
public sealed class JobWatcher
{
    private readonly ConcurrentDictionary<Guid, Channel<object>> _jobs = new();

    public ChannelReader<object> Watch(Guid jobId) =>
        _jobs.GetOrAdd(jobId, _ => Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true })).Reader;

    public void Post(Guid jobId, object message)
    {
        if (_jobs.TryGetValue(jobId, out var channel))
        {
            channel.Writer.TryWrite(message);
        }
    }

    public void Forget(Guid jobId) => _jobs.TryRemove(jobId, out _);
}
