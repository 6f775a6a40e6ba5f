using Pipeline.TestSupport;

namespace Pipeline.Media.Tests;

/// <summary>framemd5 of a file's first video stream, read independently with the ffmpeg CLI.</summary>
internal static class PacketHashes
{
    /// <summary>Hashes of the compressed packets (stream copy), in decode order.</summary>
    public static string[] Packets(string path) => Hashes(Ffmpeg.Run("-i", path, "-map", "0:v:0", "-c", "copy", "-f", "framemd5", "-"));

    /// <summary>Hashes of the decoded frames, in display order.</summary>
    public static string[] Frames(string path, params string[] inputOptions) =>
        Hashes(Ffmpeg.Run([.. inputOptions, "-i", path, "-map", "0:v:0", "-f", "framemd5", "-"]));

    private static string[] Hashes(string framemd5) =>
        [.. framemd5.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(',')[^1].Trim())];
}
