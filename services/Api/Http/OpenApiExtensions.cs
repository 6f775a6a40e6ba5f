using Microsoft.OpenApi;

namespace Pipeline.Api.Http;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>, with the API-key security scheme on every /v1 operation.</summary>
public static class OpenApiExtensions
{
    public const string BearerScheme = "bearer";

    public const string HeaderScheme = "apiKey";

    public static IServiceCollection AddPipelineOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Pipeline API",
                Version = "v1",
                Description = "Talking-head dubbing jobs: upload inputs, submit, follow, retry, cancel, estimate, and download results.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (`./pipeline keys create --tenant NAME`) as `Authorization: Bearer <key>`.",
            };
            document.Components.SecuritySchemes[HeaderScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "The same API key in the X-Api-Key header.",
            };

            // Either scheme will do; only /v1 needs one (downloads carry their own signature, the document is public).
            var requirements = new List<OpenApiSecurityRequirement>
            {
                new() { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
                new() { [new OpenApiSecuritySchemeReference(HeaderScheme, document)] = [] },
            };
            foreach (var (path, item) in document.Paths)
            {
                if (!path.StartsWith("/v1/", StringComparison.Ordinal) || item.Operations is null)
                {
                    continue;
                }

                foreach (var operation in item.Operations.Values)
                {
                    operation.Security = requirements;
                }
            }

            return Task.CompletedTask;
        }));

    /// <summary>Anonymous, like the health endpoints: a client reads the document before it has a key.</summary>
    public static IEndpointRouteBuilder MapPipelineOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }
}
