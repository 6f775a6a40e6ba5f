using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Storage;

namespace Pipeline.Api.Http;

/// <summary>
/// A job names its inputs by storage reference: the key <c>PUT /v1/inputs/{sha256}/{name}</c> answered, of an object
/// already in the store that the caller's tenant owns. Nothing is copied; the key is checked and used as it is.
/// </summary>
public static class InputReferences
{
    /// <summary>
    /// Whether the key is one of this tenant's uploaded inputs: under <c>inputs/{tenant}/</c>, or in the layout from
    /// before inputs were filed per tenant (<c>inputs/{sha256}/{name}</c>), and a valid key at all.
    /// </summary>
    public static bool IsOwnedBy(string tenant, string key)
    {
        try
        {
            ObjectKey.Validate(key);
        }
        catch (ArgumentException)
        {
            return false;
        }

        var segments = key.Split('/');
        return segments[0] == "inputs" && segments.Length >= 3
            && (segments[1] == tenant || (segments.Length == 3 && segments[1].Length == 64 && segments[1].All(char.IsAsciiHexDigitLower)));
    }

    /// <summary>The first input that is not an uploaded, stored input of this tenant, as a one-line reason naming its field; else null.</summary>
    public static async Task<string?> ProblemAsync(string tenant, JobInputs inputs, IObjectStore store, CancellationToken ct)
    {
        foreach (var (field, input) in Named(inputs))
        {
            if (string.IsNullOrWhiteSpace(input.Key))
            {
                return $"inputs.{field}.key is empty: name an uploaded input by the key PUT /v1/inputs/{{sha256}}/{{name}} returned";
            }

            if (!IsOwnedBy(tenant, input.Key) || await store.StatAsync(input.Key, ct) is null)
            {
                return $"inputs.{field}: '{input.Key}' is not an input this tenant uploaded; upload it with PUT /v1/inputs/{{sha256}}/{{name}} first";
            }
        }

        return null;
    }

    private static IEnumerable<(string Field, ArtifactRef Input)> Named(JobInputs inputs)
    {
        if (inputs.Video is { } video)
        {
            yield return ("video", video);
        }

        if (inputs.Image is { } image)
        {
            yield return ("image", image);
        }

        if (inputs.Audio is { } audio)
        {
            yield return ("audio", audio);
        }
    }
}
