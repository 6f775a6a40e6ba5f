using MassTransit;

namespace Pipeline.Mux;

public static class MuxExtensions
{
    public static IBusRegistrationConfigurator AddMuxConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<MuxOutputConsumer, MuxOutputConsumerDefinition>();
        bus.AddConsumer<PrepareVideoConsumer, PrepareVideoConsumerDefinition>();
        return bus;
    }
}
