using MassTransit;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.ServiceDefaults;

namespace Pipeline.Api.Orchestration;

/// <summary>
/// Orchestration events of one job are handled one at a time in this process (partitioned by job id), so the
/// common case never conflicts; across replicas the version column catches the rest and the retry re-reads.
/// </summary>
public sealed class JobEventsConsumerDefinition : ConsumerDefinition<JobEventsConsumer>
{
    public JobEventsConsumerDefinition()
    {
        EndpointName = "job-events";
        ConcurrentMessageLimit = 16;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<JobEventsConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        OrchestrationRetry.Configure(endpointConfigurator);

        var partition = endpointConfigurator.CreatePartitioner(16);
        consumerConfigurator.Message<StageStarted>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<StageProgressed>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<StageFailed>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<MediaIngested>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<AudioPrepared>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<VideoPrepared>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<OutputMuxed>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<FacesTracked>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<Fault<TrackFaces>>(m => m.UsePartitioner(partition, c => c.Message.Message.JobId));
        consumerConfigurator.Message<Fault<IngestMedia>>(m => m.UsePartitioner(partition, c => c.Message.Message.JobId));
        consumerConfigurator.Message<Fault<PrepareAudio>>(m => m.UsePartitioner(partition, c => c.Message.Message.JobId));
        consumerConfigurator.Message<Fault<MuxOutput>>(m => m.UsePartitioner(partition, c => c.Message.Message.JobId));
        consumerConfigurator.Message<Fault<PrepareVideo>>(m => m.UsePartitioner(partition, c => c.Message.Message.JobId));
        consumerConfigurator.Message<AudioFeaturesExtracted>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<ContentAndEmotionEncoded>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<MotionPredicted>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<Fault<ExtractAudioFeatures>>(m => m.UsePartitioner(partition, c => c.Message.Message.JobId));
        consumerConfigurator.Message<Fault<EncodeContentAndEmotion>>(m => m.UsePartitioner(partition, c => c.Message.Message.JobId));
        consumerConfigurator.Message<Fault<PredictMotion>>(m => m.UsePartitioner(partition, c => c.Message.Message.JobId));
        consumerConfigurator.Message<ExemplarBankBuilt>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<ChunkRendered>(m => m.UsePartitioner(partition, c => c.Message.JobId));
        consumerConfigurator.Message<Fault<BuildExemplarBank>>(m => m.UsePartitioner(partition, c => c.Message.Message.JobId));
        consumerConfigurator.Message<Fault<RenderChunk>>(m => m.UsePartitioner(partition, c => c.Message.Message.JobId));
    }
}

public sealed class SubmitJobConsumerDefinition : ConsumerDefinition<SubmitJobConsumer>
{
    public SubmitJobConsumerDefinition() => EndpointName = StageEndpoints.SubmitJob;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SubmitJobConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        OrchestrationRetry.Configure(endpointConfigurator);
}

public sealed class CancelJobConsumerDefinition : ConsumerDefinition<CancelJobConsumer>
{
    public CancelJobConsumerDefinition() => EndpointName = StageEndpoints.CancelJob;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CancelJobConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        OrchestrationRetry.Configure(endpointConfigurator);
}
