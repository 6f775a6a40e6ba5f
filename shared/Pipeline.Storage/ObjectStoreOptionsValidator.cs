using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Pipeline.Storage;

/// <summary>
/// Rejects a store configuration at start-up with every problem named, instead of a worker failing on its
/// first artifact with an SDK error far from the setting that caused it.
/// </summary>
public sealed partial class ObjectStoreOptionsValidator : IValidateOptions<ObjectStoreOptions>
{
    /// <summary>S3's own minimum for every part but the last.</summary>
    public const long MinPartSizeBytes = 5L * 1024 * 1024;

    /// <summary>Parts and the single-PUT threshold are buffered in memory, so both are capped well below S3's 5 GiB.</summary>
    public const long MaxBufferedBytes = 512L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, ObjectStoreOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static IReadOnlyList<string> Check(ObjectStoreOptions o)
    {
        var failures = new List<string>();
        if (o.Kind == ObjectStoreOptions.LocalKind)
        {
            if (string.IsNullOrWhiteSpace(o.LocalRoot))
            {
                failures.Add("ObjectStore:LocalRoot must name a folder");
            }

            return failures;
        }

        if (o.Kind != ObjectStoreOptions.S3Kind)
        {
            failures.Add($"ObjectStore:Kind must be 'local' or 's3', not '{o.Kind}'");
            return failures;
        }

        if (!Uri.TryCreate(o.ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"ObjectStore:ServiceUrl must be an absolute http:// or https:// URL, not '{o.ServiceUrl}'");
        }

        if (!BucketName().IsMatch(o.Bucket ?? string.Empty) || o.Bucket!.Contains("..", StringComparison.Ordinal))
        {
            failures.Add($"ObjectStore:Bucket '{o.Bucket}' is not a valid bucket name (3-63 of a-z, 0-9, '.', '-'; starting and ending with a letter or digit)");
        }

        if (string.IsNullOrWhiteSpace(o.AccessKey))
        {
            failures.Add("ObjectStore:AccessKey is required for Kind 's3'");
        }

        if (string.IsNullOrWhiteSpace(o.SecretKey))
        {
            failures.Add("ObjectStore:SecretKey is required for Kind 's3'");
        }

        if (string.IsNullOrWhiteSpace(o.Region))
        {
            failures.Add("ObjectStore:Region must not be empty (us-east-1 suits most S3-compatible servers)");
        }

        if (o.PartSizeBytes < MinPartSizeBytes || o.PartSizeBytes > MaxBufferedBytes)
        {
            failures.Add($"ObjectStore:PartSizeBytes must be between {MinPartSizeBytes} (5 MiB, the S3 minimum) and {MaxBufferedBytes}, not {o.PartSizeBytes}");
        }

        if (o.MultipartThresholdBytes < 1 || o.MultipartThresholdBytes > MaxBufferedBytes)
        {
            failures.Add($"ObjectStore:MultipartThresholdBytes must be between 1 and {MaxBufferedBytes}, not {o.MultipartThresholdBytes}");
        }

        if (string.IsNullOrWhiteSpace(o.ScratchRoot))
        {
            failures.Add("ObjectStore:ScratchRoot must name a local folder for downloaded copies");
        }

        return failures;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
