using Pipeline.Storage;

namespace Pipeline.Api.Http.Auth;

/// <summary>
/// Uploaded inputs live under their tenant: <c>inputs/{tenant}/{sha256}/{name}</c>. Another tenant can neither probe
/// whether some bytes were uploaded (its HEAD looks under its own prefix) nor name them in a job (a spec may only
/// reference keys under the caller's prefix). The same bytes uploaded by two tenants are stored twice.
/// </summary>
public static class TenantInputs
{
    public static string Prefix(string tenant) => $"inputs/{tenant}/";

    public static string Key(string tenant, string sha256Hex, string name) =>
        ObjectKey.Validate($"{Prefix(tenant)}{sha256Hex}/{ObjectKey.SanitizeName(name)}");

    /// <summary>Whether a key a client sent names one of this tenant's inputs (and is a valid key at all).</summary>
    public static bool Owns(string tenant, string key)
    {
        if (!key.StartsWith(Prefix(tenant), StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            ObjectKey.Validate(key);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
