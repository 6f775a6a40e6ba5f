using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Api.Http;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.Media;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Api.Ingest;

/// <summary>
/// Probes each input and checks it against what the job's mode needs, so bad input fails before any heavy stage. An
/// input that passed before (same bytes, same role) is not probed again: its summary is a content-addressed artifact
/// like any stage output, so a resubmitted job runs no stage at all.
/// </summary>
public sealed class IngestMediaConsumer(StageExecution execution, IObjectStore store, MediaProber prober, IOptions<ApiOptions> options) : IConsumer<IngestMedia>
{
    /// <summary>Bump when the probe summary or <see cref="InputRequirements"/> change.</summary>
    private const int Version = 2; // 2: Matroska streams take their length from the DURATION tag (was one frame)

    public Task Consume(ConsumeContext<IngestMedia> context)
    {
        var message = context.Message;
        return execution.RunAsync(context, message.JobId, new StageRunId(StageKind.Ingest), async stage =>
        {
            var probed = 0;
            async Task<MediaSummary?> Probe(ArtifactRef? input, InputRole role)
            {
                var (summary, hit) = await ProbeAsync(input, role, stage.CancellationToken);
                probed += input is not null && !hit ? 1 : 0;
                return summary;
            }

            var video = await Probe(message.Inputs.Video, InputRole.Video);
            stage.Progress.Report(0.5);
            var image = await Probe(message.Inputs.Image, InputRole.Image);
            var audio = await Probe(message.Inputs.Audio, InputRole.Audio);
            return new MediaIngested(message.JobId, video, image, audio, stage.Report(cacheHit: probed == 0));
        });
    }

    private async Task<(MediaSummary? Summary, bool CacheHit)> ProbeAsync(ArtifactRef? input, InputRole role, CancellationToken ct)
    {
        if (input is null)
        {
            return (null, false);
        }

        // Only inputs that passed are kept: a rejected one is probed (and rejected with its reason) every time.
        var key = SummaryKey(input, role);
        var maxSeconds = options.Value.MaxInputSeconds;
        if (await store.StatAsync(key, ct) is not null)
        {
            // The limit may have been lowered since this input passed: the cached summary is checked against today's.
            var cached = await store.ReadJsonAsync<MediaSummary>(key, ct);
            InputRequirements.CheckDuration(cached.DurationSeconds, DisplayName(input), maxSeconds);
            return (cached, true);
        }

        using var file = await store.GetLocalFileAsync(input.Key, ct);
        var info = await prober.ProbeAsync(file.Path, ct);
        InputRequirements.Check(info, role, DisplayName(input), maxSeconds);
        var summary = info.ToSummary();
        await store.PutJsonAsync(key, summary, ct);
        return (summary, false);
    }

    /// <summary>Where the probe summary of an input that passed is kept; the estimate endpoint reads it too.</summary>
    internal static string SummaryKey(ArtifactRef input, InputRole role) =>
        ArtifactKeys.ForStage("ingest", Version, new { input = input.Key, role = role.ToString() }, "summary.json");

    // Users know their files by name, not by content hash: the key's last segment is the original name.
    private static string DisplayName(ArtifactRef input) => input.Key[(input.Key.LastIndexOf('/') + 1)..];
}

public sealed class IngestMediaConsumerDefinition : ConsumerDefinition<IngestMediaConsumer>
{
    public IngestMediaConsumerDefinition()
    {
        EndpointName = StageEndpoints.IngestMedia;
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<IngestMediaConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseStageRetry();
}
