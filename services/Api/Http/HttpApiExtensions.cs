using System.Text.Json.Serialization;
using Pipeline.Api.Batches;
using Pipeline.Api.Webhooks;
using Pipeline.Api.Http.Downloads;
using Pipeline.Api.Http.Estimates;
using Pipeline.Api.Http.Auth;

namespace Pipeline.Api.Http;

public static class HttpApiExtensions
{
    /// <summary>The REST API's options, API-key authentication, scopes and rate limits, and JSON conventions (camelCase, enums by name: the job store's own).</summary>
    public static IHostApplicationBuilder AddHttpApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.AddWebhooks();
        builder.AddJobOperations();
        builder.AddApiAuth();
        return builder;
    }

    public static WebApplication MapHttpApi(this WebApplication app)
    {
        app.UseApiAuth();
        app.MapLoginEndpoints();

        // Every REST endpoint hangs off this one group, so authentication, scopes and rate limits apply to all of them.
        var v1 = app.MapGroup("/v1").RequireApiKey();
        v1.MapInputEndpoints();
        v1.MapJobEndpoints();
        v1.MapJobDetailEndpoints();
        v1.MapEventEndpoints();
        v1.MapScheduleEndpoints();
        v1.MapBatchEndpoints();
        v1.MapWebhookEndpoints();
        v1.MapDownloadUrlEndpoints();
        v1.MapEstimateEndpoints();
        v1.MapKeyEndpoints();
        app.MapDownloadEndpoints();
        app.MapPipelineOpenApi();
        return app;
    }
}
