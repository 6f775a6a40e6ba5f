using System.Reflection;
using MassTransit;
using Pipeline.Contracts.Jobs;
using Pipeline.ServiceDefaults;

namespace Pipeline.Orchestration.Tests;

/// <summary>
/// A publish or send whose broker confirm never comes (the connection dropped under it) must not hold its consumer,
/// and with it the receive endpoint's restart, once the transport cancels the consume.
/// </summary>
public sealed class InterruptiblePublishingTests
{
    [Fact]
    public async Task A_publish_that_is_never_confirmed_is_given_up_when_the_consume_is_cancelled()
    {
        using var transport = new CancellationTokenSource();
        var context = NeverConfirming.Context(transport.Token);

        var publish = context.PublishUnlessInterruptedAsync(new JobCancelled(Guid.NewGuid(), "test", DateTimeOffset.UtcNow));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(publish.IsCompleted, "nothing confirmed it, and nothing cancelled it yet");

        await transport.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publish.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_command_send_that_is_never_confirmed_is_given_up_when_the_consume_is_cancelled()
    {
        StageEndpoints.MapConventions();
        using var transport = new CancellationTokenSource();
        var context = NeverConfirming.Context(transport.Token);

        var send = context.SendUnlessInterruptedAsync(new CancelJob(Guid.NewGuid(), "test"));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(send.IsCompleted, "nothing confirmed it, and nothing cancelled it yet");

        await transport.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_confirmed_publish_completes_as_it_would_without_the_guard()
    {
        using var transport = new CancellationTokenSource();
        var context = NeverConfirming.Context(transport.Token, confirms: true);

        await context.PublishUnlessInterruptedAsync(new JobCancelled(Guid.NewGuid(), "test", DateTimeOffset.UtcNow))
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// A consume context (and send endpoint) whose publishes and sends wait for a confirm that never comes, unless
    /// <c>confirms</c>; like the broker client's own wait, they ignore the token they are given.
    /// </summary>
    public class NeverConfirming : DispatchProxy
    {
        private CancellationToken _transport;
        private bool _confirms;

        public static ConsumeContext Context(CancellationToken transport, bool confirms = false)
        {
            var context = Create<ConsumeContext, NeverConfirming>();
            var proxy = (NeverConfirming)(object)context;
            proxy._transport = transport;
            proxy._confirms = confirms;
            return context;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            switch (method!.Name)
            {
                case "get_CancellationToken":
                    return _transport;
                case "Publish" or "Send" when method.ReturnType == typeof(Task):
                    return _confirms ? Task.CompletedTask : new TaskCompletionSource().Task;
                case "GetSendEndpoint":
                    var endpoint = Create<ISendEndpoint, NeverConfirming>();
                    var proxy = (NeverConfirming)(object)endpoint;
                    proxy._transport = _transport;
                    proxy._confirms = _confirms;
                    return Task.FromResult(endpoint);
                default:
                    throw new NotSupportedException($"{method.DeclaringType?.Name}.{method.Name} is not part of this fake");
            }
        }
    }
}
