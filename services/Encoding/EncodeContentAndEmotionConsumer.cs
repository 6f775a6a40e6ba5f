using MassTransit;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Stages;
using Pipeline.Encoding.Content;
using Pipeline.Encoding.Emotion;
using Pipeline.Features;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Encoding;

/// <summary>
/// Content (visemes) and emotion for one speech track. They are stored under separate keys computed from
/// separate inputs, so changing only the emotion reuses the content artifact untouched: lips follow what is said,
/// expression follows how, or what the user asks for.
/// </summary>
public sealed class EncodeContentAndEmotionConsumer(StageExecution execution, IObjectStore store, ContentEncoder content, EmotionEncoder emotion)
    : IConsumer<EncodeContentAndEmotion>
{
    /// <summary>Part of the content key: raised when the same audio encodes differently (3: collapses restarted, not handed to
    /// HeadAudio; 4: the recogniser's settings are part of the key).</summary>
    public const int ContentVersion = 4;
    public const int EmotionVersion = 1;

    public Task Consume(ConsumeContext<EncodeContentAndEmotion> context)
    {
        var m = context.Message;
        var run = new StageRunId(StageKind.Encoding, Variant: StageVariants.Of(m.Role));
        return execution.RunAsync(context, m.JobId, run, async stage =>
        {
            var ct = stage.CancellationToken;
            var fps = $"{m.FrameRateNumerator}/{m.FrameRateDenominator}";
            var method = ContentEncoder.DefaultMethod;
            var contentKey = ArtifactKeys.ForStage("content", ContentVersion, new { audio = m.Audio.Key, features = m.Features.Key, fps, frames = m.Frames, method = method.ToString(), recognizer = content.RecognizerSettings }, "visemes.npy");
            var emotionKey = ArtifactKeys.ForStage("emotion", EmotionVersion, new { features = m.Features.Key, fps, frames = m.Frames, emotion = m.Emotion }, "emotion.npy");

            var contentHit = await StoredAsync(contentKey, "content.json", ct);
            if (!contentHit)
            {
                var folder = Path.Combine(stage.ScratchDirectory, "content");
                using var audio = await store.GetLocalFileAsync(m.Audio.Key, ct);
                var energy = await LoadAsync(ArtifactKeys.Sibling(m.Features.Key, "energy.npy"), ct);
                await content.EncodeAsync(audio.Path, m.FrameRateNumerator, m.FrameRateDenominator, m.Frames, folder, method, energy, ct);
                await WriteMfccContextAsync(m, folder, ct);
                await PublishFolderAsync(folder, contentKey, "visemes.npy", "content.json", ct);
            }

            stage.Progress.Report(0.8);
            var emotionHit = await StoredAsync(emotionKey, "emotion.json", ct);
            if (!emotionHit)
            {
                var folder = Path.Combine(stage.ScratchDirectory, "emotion");
                var (energy, f0) = await ProsodyAsync(m, ct);
                await emotion.EncodeAsync(m.Emotion, m.FrameRateNumerator, m.FrameRateDenominator, m.Frames, energy, f0, folder, ct);
                await PublishFolderAsync(folder, emotionKey, "emotion.npy", "emotion.json", ct);
            }

            return new ContentAndEmotionEncoded(
                m.JobId,
                m.Role,
                new ArtifactRef(contentKey, 0, "application/x-npy"),
                new ArtifactRef(emotionKey, 0, "application/x-npy"),
                stage.Report(cacheHit: contentHit && emotionHit));
        });
    }

    /// <summary>MFCC context windows for person-specific models, from the features stage's mfcc.npy, streamed.</summary>
    private async Task WriteMfccContextAsync(EncodeContentAndEmotion m, string folder, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(ArtifactKeys.Sibling(m.Features.Key, "mfcc.npy"), ct);
        using var reader = NpyReader.Open(stream);
        MfccContext.Write(Path.Combine(folder, MfccContext.FileName), reader);
    }

    /// <summary>The sidecar is stored after the array, so its presence means the pair is complete.</summary>
    private async Task<bool> StoredAsync(string arrayKey, string sidecar, CancellationToken ct) =>
        await store.StatAsync(ArtifactKeys.Sibling(arrayKey, sidecar), ct) is not null;

    private async Task PublishFolderAsync(string folder, string arrayKey, string array, string sidecar, CancellationToken ct)
    {
        foreach (var file in Directory.GetFiles(folder).Select(Path.GetFileName).Where(f => f != array && f != sidecar))
        {
            await store.PutFileAsync(ArtifactKeys.Sibling(arrayKey, file!), Path.Combine(folder, file!), null, ct);
        }

        await store.PutFileAsync(arrayKey, Path.Combine(folder, array), "application/x-npy", ct);
        await store.PutFileAsync(ArtifactKeys.Sibling(arrayKey, sidecar), Path.Combine(folder, sidecar), "application/json", ct);
    }

    /// <summary>Energy and F0 from the features stage, only when the emotion is to be estimated from them.</summary>
    private async Task<(ReadOnlyMemory<float>? Energy, ReadOnlyMemory<float>? F0)> ProsodyAsync(EncodeContentAndEmotion m, CancellationToken ct)
    {
        if (m.Emotion.Source != Contracts.Jobs.EmotionSource.FromAudio)
        {
            return (null, null);
        }

        return (await LoadAsync(ArtifactKeys.Sibling(m.Features.Key, "energy.npy"), ct), await LoadAsync(ArtifactKeys.Sibling(m.Features.Key, "f0.npy"), ct));
    }

    private async Task<float[]> LoadAsync(string key, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(key, ct);
        using var reader = NpyReader.Open(stream);
        return reader.ReadAll<float>();
    }
}

public sealed class EncodeContentAndEmotionConsumerDefinition : ConsumerDefinition<EncodeContentAndEmotionConsumer>
{
    public EncodeContentAndEmotionConsumerDefinition()
    {
        EndpointName = StageEndpoints.EncodeContentAndEmotion;
        ConcurrentMessageLimit = Environment.ProcessorCount;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<EncodeContentAndEmotionConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseStageRetry();
}
