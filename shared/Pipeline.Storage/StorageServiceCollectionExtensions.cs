using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Pipeline.Storage;

public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddObjectStore(this IServiceCollection services)
    {
        services.AddOptions<ObjectStoreOptions>()
            .BindConfiguration(ObjectStoreOptions.Section)
            .Validate(o => o.Kind == "local", "ObjectStore:Kind must be 'local' (S3 arrives with the distributed runtime)");
        services.AddSingleton<IObjectStore>(sp => new LocalObjectStore(sp.GetRequiredService<IOptions<ObjectStoreOptions>>()));
        return services;
    }
}
