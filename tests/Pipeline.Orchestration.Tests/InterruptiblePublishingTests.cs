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
    public Task A_publish_that_is_never_confirmed_is_given_up_when_the_consume_is_cancelled() =>
        AssertGivenUpWhenCancelledAsync(context => context.PublishUnlessInterruptedAsync(new JobCancelled(Guid.NewGuid(), "test", DateTimeOffset.UtcNow)));

    [Fact]
    public Task A_command_send_that_is_never_confirmed_is_given_up_when_the_consume_is_cancelled()
    {
        StageEndpoints.MapConventions();
        return AssertGivenUpWhenCancelledAsync(context => context.SendUnlessInterruptedAsync(new CancelJob(Guid.NewGuid(), "test")));
    }

    [Fact]
    public async Task A_confirmed_publish_completes_as_it_would_without_the_guard()
    {
        using var transport = new CancellationTokenSource();
        var context = NeverConfirming.Context(transport.Token, confirms: true);

        await context.PublishUnlessInterruptedAsync(new JobCancelled(Guid.NewGuid(), "test", DateTimeOffset.UtcNow))
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    private static async Task AssertGivenUpWhenCancelledAsync(Func<ConsumeContext, Task> start)
    {
        using var transport = new CancellationTokenSource();
        var pending = start(NeverConfirming.Context(transport.Token));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted, "nothing confirmed it, and nothing cancelled it yet");

        await transport.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// A consume context (and send endpoint) whose publishes and sends wait for a confirm that never comes, unless
    /// <c>confirms</c>; like the broker client's own wait, they ignore the token they are given.
    /// </summary>
    public class NeverConfirming : DispatchProxy
    {
        private CancellationToken _transport;
        private bool _confirms;

        public static ConsumeContext Context(CancellationToken transport, bool confirms = false) => Of<ConsumeContext>(transport, confirms);

        private static T Of<T>(CancellationToken transport, bool confirms)
        {
            var fake = Create<T, NeverConfirming>();
            var proxy = (NeverConfirming)(object)fake!;
            proxy._transport = transport;
            proxy._confirms = confirms;
            return fake;
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
                    return Task.FromResult(Of<ISendEndpoint>(_transport, _confirms));
                default:
                    throw new NotSupportedException($"{method.DeclaringType?.Name}.{method.Name} is not part of this fake");
            }
        }
    }
}
