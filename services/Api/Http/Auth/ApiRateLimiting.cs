using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Pipeline.Api.Http.Auth;

/// <summary>The per-key rate limit on /v1: a token bucket per key; over it, 429 with Retry-After and a JSON reason.</summary>
public static class ApiRateLimiting
{
    public const string PolicyName = "per-api-key";

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PolicyName, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RateLimit;

                // Requests without a valid key share a bucket per client address, so guessing keys is limited too.
                var partition = http.User.FindFirstValue(ApiScopes.KeyClaim) is { } key
                    ? $"key:{key}"
                    : $"ip:{http.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, limits.Burst),
                    TokensPerPeriod = Math.Max(1, limits.PermitsPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, ct) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                var response = context.HttpContext.Response;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await response.WriteAsJsonAsync(new ApiError($"rate limit exceeded for this API key; retry after {seconds} s"), ct);
            };
        });
}
