namespace Pipeline.Api.Http;

/// <summary>Bound from configuration section "Api".</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>The largest input a client may upload; a larger one gets 413 and nothing is stored.</summary>
    public long MaxUploadBytes { get; set; } = 8L << 30;

    /// <summary>
    /// The longest input (video or audio) a job may have; ingest refuses a longer one with the reason. A feature film
    /// fits; the normalised audio is a float WAV, whose 4 GiB limit is just over three hours of 48 kHz stereo.
    /// </summary>
    public double MaxInputSeconds { get; set; } = 3 * 3600;

    /// <summary>How long an API key's row is cached: a key revoked elsewhere stops working within this window.</summary>
    public double KeyCacheSeconds { get; set; } = 5;

    public RateLimitOptions RateLimit { get; set; } = new();
}

/// <summary>A token bucket per API key (per client address for requests without a valid key).</summary>
public sealed class RateLimitOptions
{
    /// <summary>The sustained rate: the bucket refills by this many requests every second.</summary>
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>The bucket's size: how many requests may arrive at once (a dashboard page load fires several).</summary>
    public int Burst { get; set; } = 200;
}
