using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipeline.Media;

/// <summary>
/// Checks a file and describes it with ffprobe; every failure is a one-line <see cref="MediaException"/>. A file's
/// description is kept while its path, size and modification time stay the same: the stages of one dub probe the same
/// input a few dozen times, and each ffprobe costs about 0.3 s of CPU, most of it loading ffmpeg's libraries.
/// </summary>
public sealed class MediaProber
{
    /// <summary>Descriptions kept; past it the cache starts again (a worker sees few distinct files at once).</summary>
    internal const int CacheCapacity = 256;

    private readonly FfmpegRunner _runner;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ProbedFile, MediaInfo> _probed = new();

    public MediaProber(FfmpegRunner runner, ILogger<MediaProber>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
        _logger = logger ?? NullLogger<MediaProber>.Instance;
    }

    /// <exception cref="MediaException">NotFound, Empty, NotMedia (ffprobe cannot read it or it has no streams), ToolMissing, Timeout, Cancelled.</exception>
    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken ct = default)
    {
        var full = CheckReadableFile(path);
        var file = new FileInfo(full);
        var size = file.Length;
        var key = new ProbedFile(full, size, file.LastWriteTimeUtc.Ticks);
        if (_probed.TryGetValue(key, out var known))
        {
            return known;
        }

        // -pattern_type none: a file literally named "frame%03d.png" is one picture, not a sequence.
        string[] args = ["-v", "error", "-pattern_type", "none", "-print_format", "json", "-show_format", "-show_streams", full];
        var json = await RunProbeAsync(args, full, ct).ConfigureAwait(false);

        MediaInfo info;
        try
        {
            info = FfprobeJsonParser.Parse(json, full, size);
        }
        catch (FormatException e)
        {
            throw MediaErrors.NotMedia(full, "ffprobe could not describe it", e.Message);
        }

        if (info.VideoStreams.Count == 0 && info.AudioStreams.Count == 0)
        {
            throw MediaErrors.NotMedia(full, "it contains no audio or video stream");
        }

        _logger.LogDebug("Probed {Path}: {Format}, {Duration:0.###} s, video {Video}, audio {Audio}", full, info.FormatName, info.DurationSeconds, info.Video?.Codec, info.Audio?.Codec);
        if (_probed.Count >= CacheCapacity)
        {
            _probed.Clear();
        }

        _probed[key] = info;
        return info;
    }

    /// <summary>Descriptions held now (for tests).</summary>
    internal int CachedCount => _probed.Count;

    private readonly record struct ProbedFile(string Path, long Size, long WriteTicks);

    /// <summary>Exact number of video packets (frames) in a file, by reading it through; for files we wrote ourselves.</summary>
    internal async Task<long> CountVideoFramesAsync(string path, CancellationToken ct)
    {
        var full = CheckReadableFile(path);
        string[] args = ["-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", full];
        var text = await RunProbeAsync(args, full, ct).ConfigureAwait(false);
        return long.TryParse(text.Trim().Split('\n')[0].Trim().TrimEnd(','), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw MediaErrors.NoVideoStream(full);
    }

    /// <summary>
    /// Presentation time and duration of every packet of one video stream, in decode order (demux only, no decode).
    /// Null when some packet has no timestamp, as in some AVI/raw streams.
    /// </summary>
    internal async Task<VideoPacketIndex?> ReadVideoPacketsAsync(string path, int streamIndex, double fallbackDuration, double origin, CancellationToken ct)
    {
        var full = CheckReadableFile(path);
        string[] args = ["-v", "error", "-select_streams", FfmpegNumber.Int(streamIndex), "-show_entries", "packet=pts_time,dts_time,duration_time", "-of", "compact=p=0", full];
        ct.ThrowIfCancellationRequestedAsMedia(full);
        await using var process = _runner.StartProbe(args, full, _logger);
        var pts = new List<double>();
        var dts = new List<double>();
        var durations = new List<double>();
        var complete = true;
        using (var reader = new StreamReader(process.StandardOutput))
        {
            while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var p = Field(line, "pts_time");
                var d = Field(line, "dts_time");
                if (p is null || d is null)
                {
                    complete = false;
                    continue;
                }

                pts.Add(p.Value);
                dts.Add(d.Value);
                durations.Add(Field(line, "duration_time") is { } length and > 0 ? length : fallbackDuration);
            }
        }

        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        return complete && pts.Count > 0 ? new VideoPacketIndex([.. pts], [.. dts], [.. durations], origin) : null;

        static double? Field(string line, string key)
        {
            foreach (var part in line.Split('|'))
            {
                if (part.Length > key.Length && part.StartsWith(key, StringComparison.Ordinal) && part[key.Length] == '=')
                {
                    return double.TryParse(part.AsSpan(key.Length + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
                }
            }

            return null;
        }
    }

    /// <summary>The checks ffprobe cannot word well: missing, a folder, empty.</summary>
    internal static string CheckReadableFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw MediaErrors.NotFound(null, "no path was given");
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw MediaErrors.NotFound(full, "it is a folder, not a file");
        }

        if (!File.Exists(full))
        {
            throw MediaErrors.NotFound(full);
        }

        if (new FileInfo(full).Length == 0)
        {
            throw MediaErrors.Empty(full);
        }

        return full;
    }

    private async Task<string> RunProbeAsync(string[] args, string full, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequestedAsMedia(full);
        await using var process = _runner.StartProbe(args, full, _logger);
        using var reader = new StreamReader(process.StandardOutput);

        // Read stdout while waiting, or a large JSON document would fill the pipe and stall ffprobe.
        var stdout = reader.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (MediaException e) when (e.Kind is MediaErrorKind.ProcessFailed or MediaErrorKind.Unsupported)
        {
            // ffprobe's failures on an existing, non-empty file all mean "not something we can read".
            throw MediaErrors.NotMedia(full, FfmpegErrorClassifier.Explain(e.ToolOutput ?? string.Empty).Reason, e.ToolOutput);
        }

        return await stdout.ConfigureAwait(false);
    }
}
