using System.Text.Json.Serialization;

namespace Pipeline.Api.Http;

public static class HttpApiExtensions
{
    /// <summary>The REST API's options and JSON conventions (camelCase, enums by name: the job store's own).</summary>
    public static IHostApplicationBuilder AddHttpApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return builder;
    }

    public static WebApplication MapHttpApi(this WebApplication app)
    {
        // Every REST endpoint hangs off this one group, so authentication, scopes and rate limits apply to all of them.
        var v1 = app.MapGroup("/v1");
        v1.MapInputEndpoints();
        v1.MapJobEndpoints();
        v1.MapJobDetailEndpoints();
        v1.MapEventEndpoints();
        v1.MapScheduleEndpoints();
        return app;
    }
}
