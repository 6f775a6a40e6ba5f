using Microsoft.Extensions.Options;
using Pipeline.Api.Http.Auth;
using Pipeline.Storage;

namespace Pipeline.Api.Http;

/// <summary>
/// Inputs are uploaded under the SHA-256 the client declares (<c>PUT /v1/inputs/{sha256}/{name}</c>) and streamed
/// straight to the object store, verified on the way: the same file uploaded twice, or dubbed into ten languages, is
/// stored once per tenant (GET or HEAD first to skip the upload), and bytes that do not match their hash are never
/// stored. Each tenant's inputs live under its own prefix (<see cref="TenantInputs"/>).
/// </summary>
public static class InputEndpoints
{
    public static IEndpointRouteBuilder MapInputEndpoints(this IEndpointRouteBuilder app)
    {
        var inputs = app.MapGroup("/inputs");
        inputs.MapMethods("/{sha256}/{name}", ["GET", "HEAD"], HeadAsync);
        inputs.MapPut("/{sha256}/{name}", PutAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>Whether this tenant holds the input, and the key a job spec names it by.</summary>
    private static async Task<IResult> HeadAsync(string sha256, string name, HttpContext http, IObjectStore store, CancellationToken ct)
    {
        if (KeyOf(http.TenantId(), sha256, name) is not { } key)
        {
            return Results.BadRequest();
        }

        return await store.StatAsync(key, ct) is { } info
            ? Results.Ok(new InputView(info.Key, info.SizeBytes, AlreadyStored: true))
            : Results.NotFound();
    }

    private static async Task<IResult> PutAsync(
        string sha256, string name, HttpRequest request, IObjectStore store, IOptions<ApiOptions> options, ILoggerFactory logs, CancellationToken ct)
    {
        if (KeyOf(request.HttpContext.TenantId(), sha256, name) is not { } key)
        {
            return Results.BadRequest(new ApiError("the path must be /v1/inputs/{sha256 as 64 hex digits}/{file name}"));
        }

        var limit = options.Value.MaxUploadBytes;
        if (request.ContentLength is { } declared && declared > limit)
        {
            return Results.Json(new ApiError($"the upload is {declared} bytes; the limit is {limit}"), statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        // Kestrel's default body limit (30 MB) is far below a video's size: this endpoint has its own.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limit;
        }

        if (await store.StatAsync(key, ct) is { } existing)
        {
            return Results.Ok(new InputView(existing.Key, existing.SizeBytes, AlreadyStored: true));
        }

        await using var verified = new Sha256VerifyingStream(request.Body, sha256, limit);
        try
        {
            var info = await store.PutAsync(key, verified, request.ContentType, ct);
            logs.CreateLogger("Pipeline.Api.Inputs").LogInformation("stored input {Key} ({Bytes} bytes)", key, info.SizeBytes);
            return Results.Created($"/v1/inputs/{sha256}/{ObjectKey.SanitizeName(name)}", new InputView(info.Key, info.SizeBytes, AlreadyStored: false));
        }
        catch (ContentTooLargeException e)
        {
            return Results.Json(new ApiError(e.Message), statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own body limit (set to the same value above) tripped first on a body of unknown length.
            return Results.Json(new ApiError($"the upload is over the limit of {limit} bytes"), statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (ContentMismatchException e)
        {
            return Results.BadRequest(new ApiError(e.Message));
        }
    }

    private static string? KeyOf(string tenant, string sha256, string name) =>
        sha256.Length == 64 && sha256.All(char.IsAsciiHexDigitLower) ? TenantInputs.Key(tenant, sha256, name) : null;
}
