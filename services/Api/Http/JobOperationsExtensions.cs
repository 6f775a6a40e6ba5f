using Pipeline.Api.Http.Downloads;
using Pipeline.Api.Http.Estimates;

namespace Pipeline.Api.Http;

public static class JobOperationsExtensions
{
    /// <summary>What the job endpoints beyond submit and read need: download links, estimates, the OpenAPI document.</summary>
    public static IHostApplicationBuilder AddJobOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DownloadOptions>().BindConfiguration(ApiOptions.Section);
        builder.Services.AddOptions<PricingOptions>().BindConfiguration(PricingOptions.Section);
        builder.Services.AddSingleton<DownloadSigner>();
        builder.Services.AddSingleton<DownloadLinks>();
        builder.Services.AddScoped<JobEstimator>();
        builder.Services.AddPipelineOpenApi();
        return builder;
    }
}
