using MassTransit;
using Pipeline.Encoding.Content;
using Pipeline.Encoding.Emotion;

namespace Pipeline.Encoding;

public static class EncodingExtensions
{
    /// <summary>The encoders the stage uses; options from configuration section "Content".</summary>
    public static IHostApplicationBuilder AddEncoding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ContentEncoderOptions>().BindConfiguration(ContentEncoderOptions.SectionName);
        builder.Services.AddSingleton(sp => new ContentEncoder(
            sp.GetRequiredService<Pipeline.Media.FfmpegRunner>(),
            sp.GetRequiredService<Pipeline.Media.MediaProber>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ContentEncoderOptions>>().Value,
            sp.GetRequiredService<ILogger<ContentEncoder>>()));
        builder.Services.AddSingleton(sp => new EmotionEncoder(sp.GetRequiredService<ILogger<EmotionEncoder>>()));
        return builder;
    }

    public static IBusRegistrationConfigurator AddEncodingConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<EncodeContentAndEmotionConsumer, EncodeContentAndEmotionConsumerDefinition>();
        return bus;
    }
}
