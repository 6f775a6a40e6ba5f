namespace Pipeline.Api.Webhooks;

/// <summary>Bound from configuration section "Webhooks".</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How often the dispatcher looks for due deliveries and finished batches.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a receiver has to answer one attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the first failed attempt; each later wait is <see cref="BackoffFactor"/> times longer.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>With the defaults, six attempts span about 13 hours: 10 s, 80 s, 11 min, 85 min, 11 h.</summary>
    public double BackoffFactor { get; set; } = 8;

    public int MaxAttempts { get; set; } = 6;

    /// <summary>How many deliveries one replica sends at once.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>The wait before attempt <paramref name="attemptsMade"/> + 1.</summary>
    public TimeSpan RetryDelay(int attemptsMade) =>
        TimeSpan.FromTicks((long)Math.Min(FirstRetryDelay.Ticks * Math.Pow(BackoffFactor, Math.Max(0, attemptsMade - 1)), TimeSpan.FromDays(1).Ticks));
}
