using MassTransit;
using Pipeline.AudioFeatures;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.Encoding;
using Pipeline.Storage;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests;

/// <summary>The audio-features and encoding stages as the bus runs them, on real speech and a real object store.</summary>
public sealed class SpeechStagesTests
{
    [Fact]
    public async Task Features_then_content_and_emotion_and_a_new_emotion_reuses_the_content_artifact()
    {
        var speech = TestData.Require("audio/mead_m006_16k.wav");
        await using var t = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<ExtractAudioFeaturesConsumer, ExtractAudioFeaturesConsumerDefinition>();
            x.AddConsumer<EncodeContentAndEmotionConsumer, EncodeContentAndEmotionConsumerDefinition>();
        });
        var store = new LocalObjectStore(t.StoreRoot);
        var audio = await store.PutFileAsync("inputs/test/speech.wav", speech, ct: TestContext.Current.CancellationToken);
        var audioRef = new ArtifactRef(audio.Key, audio.SizeBytes);
        var job = NewId.NextGuid();

        await t.Harness.Bus.Send(new ExtractAudioFeatures(job, AudioRole.NewSpeech, audioRef, 25, 1));
        await t.WaitForAsync<AudioFeaturesExtracted>(m => m.JobId == job, seconds: 120);
        var features = t.Single<AudioFeaturesExtracted>();
        Assert.Equal(122, features.Frames); // 4.88 s at 25 fps
        Assert.NotNull(await store.StatAsync(ArtifactKeys.Sibling(features.Features.Key, "mfcc.npy"), TestContext.Current.CancellationToken));

        await t.Harness.Bus.Send(new EncodeContentAndEmotion(job, AudioRole.NewSpeech, audioRef, features.Features, 25, 1, features.Frames, EmotionSpec.Constant(EmotionLabel.Happy, 0.8)));
        await t.Harness.Bus.Send(new EncodeContentAndEmotion(job, AudioRole.NewSpeech, audioRef, features.Features, 25, 1, features.Frames, EmotionSpec.Constant(EmotionLabel.Sad, 0.4)));
        await t.WaitForAsync<ContentAndEmotionEncoded>(m => m.JobId == job, count: 2, seconds: 240);

        var encoded = t.Harness.Published.Select<ContentAndEmotionEncoded>().Select(m => m.Context.Message).ToList();
        Assert.Equal(encoded[0].Content, encoded[1].Content);
        Assert.NotEqual(encoded[0].Emotion, encoded[1].Emotion);
        Assert.NotNull(await store.StatAsync(encoded[0].Content.Key, TestContext.Current.CancellationToken));
        Assert.Equal(0, t.Count<StageFailed>());
    }
}
