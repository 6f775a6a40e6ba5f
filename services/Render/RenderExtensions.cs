using MassTransit;
using Pipeline.Render.Chunks;
using Pipeline.Render.Exemplars;
using Pipeline.Render.Onnx;

namespace Pipeline.Render;

public static class RenderExtensions
{
    public static IHostApplicationBuilder AddRender(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ExemplarBankBuilder>();
        builder.Services.AddSingleton<ChunkRenderer>();
        builder.Services.AddSingleton<PortraitChunkRenderer>();
        builder.Services.AddOptions<OnnxRuntimeOptions>().BindConfiguration(OnnxRuntimeOptions.Section);
        builder.Services.AddSingleton<OnnxModels>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddRenderConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<BuildExemplarBankConsumer, BuildExemplarBankConsumerDefinition>();
        bus.AddConsumer<RenderChunkConsumer, RenderChunkConsumerDefinition>();
        return bus;
    }
}
