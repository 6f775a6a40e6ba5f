using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pipeline.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>Registers <see cref="MediaProber"/>, <see cref="FfmpegRunner"/> and <see cref="MediaEditor"/>, configured from "Media".</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MediaToolOptions>().BindConfiguration(MediaToolOptions.SectionName);

        // Factories, not type registration: the public convenience constructors would make activation ambiguous.
        services.AddSingleton(sp => new FfmpegRunner(
            sp.GetRequiredService<IOptions<MediaToolOptions>>().Value,
            sp.GetRequiredService<ILogger<FfmpegRunner>>()));
        services.AddSingleton(sp => new MediaProber(
            sp.GetRequiredService<FfmpegRunner>(),
            sp.GetRequiredService<ILogger<MediaProber>>()));
        services.AddSingleton(sp => new MediaEditor(
            sp.GetRequiredService<MediaProber>(),
            sp.GetRequiredService<FfmpegRunner>(),
            sp.GetRequiredService<ILogger<MediaEditor>>()));
        return services;
    }
}
