using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pipeline.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IObjectStore"/> and <see cref="IPresignedUrls"/> as configured by section "ObjectStore":
    /// Kind "local" is a folder; Kind "s3" an S3 bucket, plus the start-up sweep of abandoned uploads.
    /// The Kind is read here, at registration, because it decides which services exist.
    /// </summary>
    public static IServiceCollection AddObjectStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ObjectStoreOptions>().BindConfiguration(ObjectStoreOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ObjectStoreOptions>, ObjectStoreOptionsValidator>();

        var kind = configuration.GetSection(ObjectStoreOptions.Section)[nameof(ObjectStoreOptions.Kind)];
        if (kind == ObjectStoreOptions.S3Kind)
        {
            services.AddSingleton(sp => new S3ObjectStore(
                sp.GetRequiredService<IOptions<ObjectStoreOptions>>(),
                sp.GetRequiredService<ILogger<S3ObjectStore>>()));
            services.AddSingleton<IObjectStore>(sp => sp.GetRequiredService<S3ObjectStore>());
            services.AddSingleton<IPresignedUrls>(sp => sp.GetRequiredService<S3ObjectStore>());
            services.AddHostedService<S3StaleUploadCleanup>();
        }
        else
        {
            // Any other Kind than "local" is refused by the validator when the options are first read.
            services.AddSingleton(sp => new LocalObjectStore(sp.GetRequiredService<IOptions<ObjectStoreOptions>>()));
            services.AddSingleton<IObjectStore>(sp => sp.GetRequiredService<LocalObjectStore>());
            services.AddSingleton<IPresignedUrls>(sp => sp.GetRequiredService<LocalObjectStore>());
        }

        return services;
    }
}
