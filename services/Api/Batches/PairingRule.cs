using Pipeline.Api.Http;
using Pipeline.Storage;

namespace Pipeline.Api.Batches;

/// <summary>
/// The "stem" rule: a video and an audio pair up when their paths under their prefixes are the same without the
/// extension (<c>videos/ep01.mp4</c> with <c>audio/es/ep01.wav</c>; <c>videos/s1/ep01.mov</c> with
/// <c>audio/es/s1/ep01.wav</c>). A stem that two files on one side share is ambiguous: those files stay unpaired.
/// </summary>
public static class PairingRule
{
    public sealed record Pair(string Stem, string Video, string Audio);

    /// <returns>The pairs (paths relative to the tenant's folder), what stayed unpaired, or why the prefixes cannot be listed.</returns>
    public static async Task<(List<Pair> Pairs, PairingReport Report, string? Problem)> PairAsync(
        IObjectStore store, string tenant, string? videoPrefix, string? audioPrefix, CancellationToken ct)
    {
        var empty = new PairingReport(0, [], []);
        if (Folder(videoPrefix) is not { } videos)
        {
            return ([], empty, $"videoPrefix: '{videoPrefix}' is not a folder path in the tenant's store (e.g. \"videos/\")");
        }

        if (Folder(audioPrefix) is not { } audios)
        {
            return ([], empty, $"audioPrefix: '{audioPrefix}' is not a folder path in the tenant's store (e.g. \"audio/es/\")");
        }

        var root = JobSubmission.TenantPrefix(tenant);
        var videoStems = await StemsAsync(store, root, videos, ct);
        var audioStems = await StemsAsync(store, root, audios, ct);
        var pairs = new List<Pair>();
        var unpairedVideos = new List<string>();
        var unpairedAudio = new List<string>();
        foreach (var (stem, files) in videoStems.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (files.Count == 1 && audioStems.TryGetValue(stem, out var partner) && partner.Count == 1)
            {
                pairs.Add(new Pair(stem, files[0], partner[0]));
            }
            else
            {
                unpairedVideos.AddRange(files);
            }
        }

        unpairedAudio.AddRange(audioStems
            .Where(a => !(a.Value.Count == 1 && videoStems.TryGetValue(a.Key, out var v) && v.Count == 1))
            .SelectMany(a => a.Value)
            .Order(StringComparer.Ordinal));
        return (pairs, new PairingReport(pairs.Count, unpairedVideos, unpairedAudio), null);
    }

    private static async Task<Dictionary<string, List<string>>> StemsAsync(IObjectStore store, string root, string folder, CancellationToken ct)
    {
        var stems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var o in store.ListAsync(root + folder, ct))
        {
            var relative = o.Key[(root + folder).Length..];
            var dot = relative.LastIndexOf('.');
            var slash = relative.LastIndexOf('/');
            var stem = dot > slash + 1 ? relative[..dot] : relative;
            if (!stems.TryGetValue(stem, out var files))
            {
                stems[stem] = files = [];
            }

            files.Add(o.Key[root.Length..]);
        }

        return stems;
    }

    // A prefix names a folder: "videos" and "videos/" both mean everything under videos/.
    private static string? Folder(string? prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix))
        {
            return null;
        }

        var folder = prefix.Trim().Trim('/');
        try
        {
            return ObjectKey.Validate(folder) + "/";
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
