using MassTransit;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// The queue each command goes to. Consumer definitions take their endpoint names from here too, so the sender
/// and the receiver cannot drift apart; every replica of a worker competes on the same queue.
/// </summary>
public static class StageEndpoints
{
    public const string SubmitJob = "submit-job";
    public const string CancelJob = "cancel-job";
    public const string RetryJob = "retry-job";
    public const string IngestMedia = "ingest-media";
    public const string PrepareAudio = "prepare-audio";
    public const string ExtractAudioFeatures = "extract-audio-features";
    public const string EncodeContentAndEmotion = "encode-content-and-emotion";
    public const string TrackFaces = "track-faces";
    public const string PredictMotion = "predict-motion";
    public const string BuildExemplarBank = "build-exemplar-bank";
    public const string RenderChunk = "render-chunk";
    public const string PrepareVideo = "prepare-video";
    public const string MuxOutput = "mux-output";

    private static int _mapped;

    /// <summary>Maps every command type to its queue (process-wide, as MassTransit's convention is static).</summary>
    public static void MapConventions()
    {
        if (Interlocked.Exchange(ref _mapped, 1) == 1)
        {
            return;
        }

        Map<SubmitJob>(SubmitJob);
        Map<CancelJob>(CancelJob);
        Map<RetryJob>(RetryJob);
        Map<IngestMedia>(IngestMedia);
        Map<PrepareAudio>(PrepareAudio);
        Map<ExtractAudioFeatures>(ExtractAudioFeatures);
        Map<EncodeContentAndEmotion>(EncodeContentAndEmotion);
        Map<TrackFaces>(TrackFaces);
        Map<PredictMotion>(PredictMotion);
        Map<BuildExemplarBank>(BuildExemplarBank);
        Map<RenderChunk>(RenderChunk);
        Map<PrepareVideo>(PrepareVideo);
        Map<MuxOutput>(MuxOutput);
    }

    private static void Map<T>(string queue)
        where T : class => EndpointConvention.Map<T>(new Uri($"queue:{queue}"));
}
