using MassTransit;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Stages;
using Pipeline.Media;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.AudioFeatures;

/// <summary>
/// Decodes the new speech track once into the pipeline's normal form (48 kHz float WAV, mono or stereo as the
/// source), measuring its exact length and peak on the way. Every later stage reads this file, not the upload.
/// </summary>
public sealed class PrepareAudioConsumer(StageExecution execution, IObjectStore store, MediaProber prober, FfmpegRunner runner)
    : IConsumer<PrepareAudio>
{
    public const int StageVersion = 1;
    public const int SampleRate = 48_000;

    public Task Consume(ConsumeContext<PrepareAudio> context)
    {
        var message = context.Message;
        return execution.RunAsync(context, message.JobId, new StageRunId(StageKind.PrepareAudio), async stage =>
        {
            var inputs = new { audio = message.Audio.Key, rate = SampleRate };
            var key = ArtifactKeys.ForStage("prepare-audio", StageVersion, inputs, "audio.wav");
            var sidecarKey = ArtifactKeys.ForStage("prepare-audio", StageVersion, inputs, "audio.json");

            // The sidecar is written after the WAV, so its presence means both are complete.
            if (await store.StatAsync(sidecarKey, stage.CancellationToken) is not null
                && await store.StatAsync(key, stage.CancellationToken) is { } cached)
            {
                var known = await store.ReadJsonAsync<PreparedAudioFacts>(sidecarKey, stage.CancellationToken);
                return new AudioPrepared(message.JobId, new ArtifactRef(key, cached.SizeBytes, "audio/wav"), known.Seconds, known.PeakDbfs, stage.Report(cacheHit: true));
            }

            using var input = await store.GetLocalFileAsync(message.Audio.Key, stage.CancellationToken);
            var info = await prober.ProbeAsync(input.Path, stage.CancellationToken);
            var channels = Math.Clamp(info.Audio?.Channels ?? 2, 1, 2);
            var wavPath = Path.Combine(stage.ScratchDirectory, "audio.wav");
            var measured = await DecodeAsync(input.Path, wavPath, channels, info.DurationSeconds, stage);
            var stored = await store.PutFileAsync(key, wavPath, "audio/wav", stage.CancellationToken);
            await store.PutJsonAsync(sidecarKey, measured, stage.CancellationToken);

            return new AudioPrepared(message.JobId, new ArtifactRef(key, stored.SizeBytes, "audio/wav"), measured.Seconds, measured.PeakDbfs, stage.Report(cacheHit: false));
        });
    }

    private async Task<PreparedAudioFacts> DecodeAsync(string input, string output, int channels, double expectedSeconds, StageContext stage)
    {
        await using var reader = await AudioSampleReader.OpenAsync(prober, runner, input, SampleRate, channels, stage.CancellationToken);
        var buffer = new float[SampleRate * channels / 10];
        var peak = 0f;
        long samples;
        await using (var writer = new FloatWavWriter(File.Create(output), SampleRate, channels))
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, stage.CancellationToken)) > 0)
            {
                var block = buffer.AsSpan(0, read);
                peak = Math.Max(peak, PeakOf(block));
                writer.Write(block);
                if (expectedSeconds > 0)
                {
                    stage.Progress.Report((double)writer.SamplesPerChannel / SampleRate / expectedSeconds);
                }
            }

            samples = writer.SamplesPerChannel;
        }

        if (samples == 0)
        {
            throw new MediaException(MediaErrorKind.Empty, $"'{Path.GetFileName(input)}' decodes to no audio samples: it may be truncated", input);
        }

        return new PreparedAudioFacts((double)samples / SampleRate, ToDbfs(peak));
    }

    private static float PeakOf(ReadOnlySpan<float> samples)
    {
        var peak = 0f;
        foreach (var s in samples)
        {
            peak = Math.Max(peak, Math.Abs(s));
        }

        return peak;
    }

    // Digital silence has no finite level; -200 dBFS is far below any real recording and keeps JSON valid.
    private static double ToDbfs(float peak) => peak <= 1e-10f ? -200 : Math.Round(20 * Math.Log10(peak), 2);
}

/// <summary>What the stage measured, stored beside the WAV so a cache hit needs no second decode.</summary>
public sealed record PreparedAudioFacts(double Seconds, double PeakDbfs);

public sealed class PrepareAudioConsumerDefinition : ConsumerDefinition<PrepareAudioConsumer>
{
    public PrepareAudioConsumerDefinition()
    {
        EndpointName = StageEndpoints.PrepareAudio;
        ConcurrentMessageLimit = Environment.ProcessorCount;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PrepareAudioConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseStageRetry();
}
