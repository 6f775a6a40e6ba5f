using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.ServiceDefaults;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests.Observability;

/// <summary>
/// A host with the service defaults and the probe stage on MassTransit's test harness, and a recorder on its
/// "Pipeline" meter.
/// </summary>
public sealed class StageHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ScratchDirectory _scratch;

    private StageHarness(IHost host, ScratchDirectory scratch)
    {
        _host = host;
        _scratch = scratch;
        Harness = host.Services.GetTestHarness();
        Metrics = new MetricRecorder(host.Services.GetRequiredService<IMeterFactory>(), StageMetrics.MeterName);
    }

    public ITestHarness Harness { get; }

    public MetricRecorder Metrics { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<StageHarness> StartAsync(string service, Action<IServiceCollection>? configure = null)
    {
        var scratch = new ScratchDirectory("stage-metrics");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ObjectStore:LocalRoot"] = scratch.Path,
        });
        builder.AddServiceDefaults(service);
        builder.Services.AddMassTransitTestHarness(x => x.AddConsumer<ProbeStageConsumer>());
        configure?.Invoke(builder.Services);

        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new StageHarness(host, scratch);
    }

    /// <summary>Sends one probe and waits until its consumer has returned (or thrown), so its metrics are in.</summary>
    public async Task RunAsync(ProbeBehaviour behaviour)
    {
        var jobId = NewId.NextGuid();
        await Harness.Bus.Publish(new ProbeStage(jobId, behaviour), TestContext.Current.CancellationToken);
        await OrchestratorHarness.WaitUntilAsync(
            () => Harness.Consumed.Select<ProbeStage>().Any(m => m.Context.Message.JobId == jobId),
            $"probe {behaviour} consumed");
    }

    public async ValueTask DisposeAsync()
    {
        Metrics.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        _scratch.Dispose();
    }
}
