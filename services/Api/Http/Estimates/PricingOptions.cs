namespace Pipeline.Api.Http.Estimates;

/// <summary>Bound from "Api:Pricing": what a second of stage work costs, for <c>POST /v1/estimates</c>.</summary>
public sealed class PricingOptions
{
    public const string Section = "Api:Pricing";

    public string Currency { get; set; } = "USD";

    /// <summary>Price of one second of a stage's work on a CPU worker (default: about $0.05 per core-hour).</summary>
    public double CpuSecond { get; set; } = 0.000014;

    /// <summary>Price of one second of a stage's work on a GPU worker (default: about $2.50 per GPU-hour).</summary>
    public double GpuSecond { get; set; } = 0.0007;

    /// <summary>Stages (node names without chunk, e.g. "render") whose workers run on a GPU; the rest are priced as CPU.</summary>
    public List<string> GpuStages { get; set; } = [];
}
