using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.FaceTracking.Tracking;
using Pipeline.Media;

namespace Pipeline.Motion;

public static class MotionExtensions
{
    /// <summary>The face tracker the stage runs; options from configuration section "FaceTracking".</summary>
    public static IHostApplicationBuilder AddMotion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FaceTrackerOptions>().BindConfiguration(FaceTrackerOptions.SectionName);
        builder.Services.AddSingleton(sp => new FaceTrackRunner(
            sp.GetRequiredService<MediaProber>(),
            sp.GetRequiredService<FfmpegRunner>(),
            sp.GetRequiredService<IOptions<FaceTrackerOptions>>().Value,
            sp.GetRequiredService<ILogger<FaceTrackRunner>>()));
        return builder;
    }

    public static IBusRegistrationConfigurator AddMotionConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<TrackFacesConsumer, TrackFacesConsumerDefinition>();
        bus.AddConsumer<PredictMotionConsumer, PredictMotionConsumerDefinition>();
        return bus;
    }
}
