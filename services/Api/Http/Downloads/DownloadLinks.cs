using Pipeline.Storage;

namespace Pipeline.Api.Http.Downloads;

/// <summary>A time-limited URL that fetches one object without an API key.</summary>
public sealed record DownloadLink(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Hands out download links: the store's own presigned GET where it has one (S3), else an Api-signed
/// <c>/downloads/{token}</c> link (the local folder store), which <see cref="DownloadEndpoints"/> serves.
/// </summary>
public sealed class DownloadLinks(IPresignedUrls presigned, IServiceProvider services, TimeProvider clock)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    /// <summary>The longest link the API issues; SigV4 itself allows seven days.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    public DownloadLink Create(string key, TimeSpan lifetime, HttpRequest request)
    {
        // Whole seconds: the signed token carries its expiry as Unix seconds.
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((clock.GetUtcNow() + lifetime).ToUnixTimeSeconds());
        if (presigned.GetDownloadUrl(key, lifetime) is { } url)
        {
            return new DownloadLink(url, expiresAt);
        }

        // Created on first use: an S3-backed Api never needs (or writes) a local signing secret.
        var token = services.GetRequiredService<DownloadSigner>().Sign(key, expiresAt);
        return new DownloadLink(new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/downloads/{token}"), expiresAt);
    }
}
