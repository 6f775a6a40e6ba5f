using MassTransit;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// Publish and send from inside a consumer, giving up the wait when the consume is cancelled.
/// A publish whose connection drops under it can wait for its broker confirm for ever (RabbitMQ.Client 7,
/// rabbitmq-dotnet-client#1930), and MassTransit restarts a receive endpoint only once every consumer running on it
/// has returned: one consumer stuck there keeps the endpoint down after the broker is back, its queue with no
/// consumer at all (CI saw extract-audio-features hold 97 messages so). Abandoning the wait lets the consumer end
/// cancelled; its message was never acknowledged, so the broker hands it out again once the endpoint reconnects.
/// </summary>
public static class InterruptiblePublishing
{
    public static Task PublishUnlessInterruptedAsync<T>(this ConsumeContext context, T message)
        where T : class =>
        context.Publish(message, context.CancellationToken).WaitAsync(context.CancellationToken);

    /// <summary>A command to the queue its type is mapped to (<see cref="StageEndpoints.MapConventions"/>).</summary>
    public static Task SendUnlessInterruptedAsync(this ConsumeContext context, object command) =>
        context.Send(command, context.CancellationToken).WaitAsync(context.CancellationToken);
}
