using MassTransit;

namespace Pipeline.AudioFeatures;

public static class AudioFeaturesExtensions
{
    public static IBusRegistrationConfigurator AddAudioFeaturesConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PrepareAudioConsumer, PrepareAudioConsumerDefinition>();
        bus.AddConsumer<ExtractAudioFeaturesConsumer, ExtractAudioFeaturesConsumerDefinition>();
        return bus;
    }
}
