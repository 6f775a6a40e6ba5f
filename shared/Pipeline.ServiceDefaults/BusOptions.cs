namespace Pipeline.ServiceDefaults;

/// <summary>Bound from configuration section "Bus".</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";

    /// <summary>"InMemory" (embedded: every stage in one process) or "RabbitMq".</summary>
    public string Transport { get; set; } = "InMemory";

    public string RabbitMqHost { get; set; } = "127.0.0.1";

    public ushort RabbitMqPort { get; set; } = 5672;

    public string RabbitMqVirtualHost { get; set; } = "/";

    public string RabbitMqUser { get; set; } = "guest";

    public string RabbitMqPassword { get; set; } = "guest";

    /// <summary>Per-queue limits, keyed by queue name (render-chunk, predict-motion…).</summary>
    public Dictionary<string, EndpointLimits> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
