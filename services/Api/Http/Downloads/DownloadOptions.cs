namespace Pipeline.Api.Http.Downloads;

/// <summary>Bound from section "Api", beside <see cref="ApiOptions"/>.</summary>
public sealed class DownloadOptions
{
    /// <summary>
    /// The secret Api-signed download links (local store) are signed with. Unset: one is generated and kept under the
    /// store's root (<see cref="DownloadSigner.GeneratedKeyFile"/>), so links stay valid across restarts. Set it, the
    /// same on every replica, when several Api processes serve one store.
    /// </summary>
    public string? DownloadSigningKey { get; set; }
}
