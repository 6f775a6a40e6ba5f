using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Pipeline.Storage.Tests;

public sealed class ObjectStoreRegistrationTests
{
    [Fact]
    public void Kind_s3_registers_the_s3_store_its_urls_and_the_start_up_sweep()
    {
        using var services = Build(new()
        {
            ["ObjectStore:Kind"] = "s3",
            ["ObjectStore:ServiceUrl"] = "http://127.0.0.1:18090",
            ["ObjectStore:AccessKey"] = "a",
            ["ObjectStore:SecretKey"] = "b",
            ["ObjectStore:Bucket"] = "artifacts",
        });

        var store = Assert.IsType<S3ObjectStore>(services.GetRequiredService<IObjectStore>());
        Assert.Equal("artifacts", store.Bucket);
        Assert.Same(store, services.GetRequiredService<IPresignedUrls>());
        Assert.Contains(services.GetServices<IHostedService>(), s => s is S3StaleUploadCleanup);
    }

    [Fact]
    public void Kind_local_registers_the_folder_store_and_no_sweep()
    {
        using var scratch = new Pipeline.TestSupport.ScratchDirectory("store");
        using var services = Build(new() { ["ObjectStore:LocalRoot"] = scratch.Path });

        Assert.IsType<LocalObjectStore>(services.GetRequiredService<IObjectStore>());
        Assert.Null(services.GetRequiredService<IPresignedUrls>().GetDownloadUrl("a/b", TimeSpan.FromMinutes(1)));
        Assert.Empty(services.GetServices<IHostedService>());
    }

    [Fact]
    public void An_unknown_kind_is_refused_with_the_choices()
    {
        using var services = Build(new() { ["ObjectStore:Kind"] = "minio" });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IObjectStore>());
        Assert.Contains("must be 'local' or 's3', not 'minio'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_s3_setting_is_named()
    {
        using var services = Build(new()
        {
            ["ObjectStore:Kind"] = "s3",
            ["ObjectStore:ServiceUrl"] = "ftp://host",
            ["ObjectStore:Bucket"] = "Bad_Bucket",
            ["ObjectStore:PartSizeBytes"] = "1048576",
            ["ObjectStore:MultipartThresholdBytes"] = "0",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IObjectStore>());
        Assert.Contains("ServiceUrl must be an absolute http:// or https:// URL, not 'ftp://host'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Bucket 'Bad_Bucket' is not a valid bucket name", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AccessKey is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SecretKey is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PartSizeBytes must be between 5242880 (5 MiB, the S3 minimum)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MultipartThresholdBytes must be between 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_path_style_us_east_1_with_8_mib_parts_above_16_mib()
    {
        var o = new ObjectStoreOptions();

        Assert.Equal("local", o.Kind);
        Assert.Equal("pipeline", o.Bucket);
        Assert.Equal("us-east-1", o.Region);
        Assert.True(o.ForcePathStyle);
        Assert.Equal(16L << 20, o.MultipartThresholdBytes);
        Assert.Equal(8L << 20, o.PartSizeBytes);
        Assert.StartsWith(PipelineHome.Default, o.ScratchRoot, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddObjectStore(configuration);
        return services.BuildServiceProvider();
    }
}
