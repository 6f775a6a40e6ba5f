namespace Pipeline.Api.Http;

/// <summary>Bound from configuration section "Api".</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>The largest input a client may upload; a larger one gets 413 and nothing is stored.</summary>
    public long MaxUploadBytes { get; set; } = 8L << 30;

    /// <summary>The tenant jobs are filed under until API keys name one (the REST API and dashboard work).</summary>
    public string DefaultTenant { get; set; } = "default";
}
