using System.Globalization;
using System.Text.Json;

namespace Pipeline.Media;

/// <summary>Parses <c>ffprobe -print_format json -show_format -show_streams</c> output (pure).</summary>
public static class FfprobeJsonParser
{
    /// <exception cref="FormatException">The text is not ffprobe JSON.</exception>
    public static MediaInfo Parse(string json, string path, long sizeBytes)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"ffprobe output is not JSON: {e.Message}", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            var video = new List<VideoStreamInfo>();
            var audio = new List<AudioStreamInfo>();
            var subtitles = new List<SubtitleStreamInfo>();
            if (root.TryGetProperty("streams", out var streams) && streams.ValueKind == JsonValueKind.Array)
            {
                foreach (var s in streams.EnumerateArray())
                {
                    switch (String(s, "codec_type"))
                    {
                        case "video":
                            video.Add(ParseVideo(s));
                            break;
                        case "audio":
                            audio.Add(ParseAudio(s));
                            break;
                        case "subtitle":
                            subtitles.Add(new SubtitleStreamInfo(Int(s, "index") ?? 0, String(s, "codec_name") ?? "unknown", Tag(s, "language")));
                            break;
                    }
                }
            }

            var format = root.TryGetProperty("format", out var f) ? f : default;
            var hasFormat = format.ValueKind == JsonValueKind.Object;
            var duration = (hasFormat ? Double(format, "duration") : null)
                ?? video.Select(v => v.DurationSeconds).Concat(audio.Select(a => a.DurationSeconds)).Max()
                ?? 0;
            var size = hasFormat ? Long(format, "size") ?? sizeBytes : sizeBytes;

            var info = new MediaInfo(
                path,
                (hasFormat ? String(format, "format_name") : null) ?? "unknown",
                duration,
                size,
                hasFormat ? Long(format, "bit_rate") : null,
                video,
                audio,
                subtitles.Count)
            {
                SubtitleStreams = subtitles,
                StartSeconds = (hasFormat ? Double(format, "start_time") : null) ?? 0,
            };

            // A moving picture whose stream has no length of its own (no duration, no tag) lasts the file's, so every
            // reader of the stream (its frame count, the preview strip) agrees with the summary the stages plan with.
            return info.IsStillImage || duration <= 0
                ? info
                : info with { VideoStreams = video.Select(v => v.DurationSeconds is null && !v.IsAttachedPicture ? v with { DurationSeconds = duration } : v).ToList() };
        }
    }

    private static VideoStreamInfo ParseVideo(JsonElement s)
    {
        var attached = s.TryGetProperty("disposition", out var d) && Int(d, "attached_pic") == 1;
        Rational.TryParse(String(s, "r_frame_rate"), out var rate);
        Rational.TryParse(String(s, "avg_frame_rate"), out var average);
        return new VideoStreamInfo(
            Int(s, "index") ?? 0,
            String(s, "codec_name") ?? "unknown",
            String(s, "profile"),
            Int(s, "width") ?? 0,
            Int(s, "height") ?? 0,
            String(s, "pix_fmt"),
            rate,
            average,
            Double(s, "duration") ?? TaggedDuration(s),
            Long(s, "nb_frames"),
            Rotation(s),
            attached,
            Long(s, "bit_rate"))
        {
            Colour = new VideoColour(
                VideoColour.Tag(String(s, "color_space")),
                VideoColour.Tag(String(s, "color_range")),
                VideoColour.Tag(String(s, "color_primaries")),
                VideoColour.Tag(String(s, "color_transfer"))),
        };
    }

    private static AudioStreamInfo ParseAudio(JsonElement s) => new(
        Int(s, "index") ?? 0,
        String(s, "codec_name") ?? "unknown",
        Int(s, "sample_rate") ?? 0,
        Int(s, "channels") ?? 0,
        String(s, "channel_layout"),
        Double(s, "duration") ?? TaggedDuration(s),
        Long(s, "bit_rate"));

    /// <summary>
    /// Display-matrix side data (ffmpeg 5+) or the older "rotate" tag, normalised to 0..359.
    /// The sign does not matter downstream: only whether width and height swap.
    /// </summary>
    private static int Rotation(JsonElement s)
    {
        double? degrees = null;
        if (s.TryGetProperty("side_data_list", out var sides) && sides.ValueKind == JsonValueKind.Array)
        {
            foreach (var side in sides.EnumerateArray())
            {
                degrees ??= Double(side, "rotation");
            }
        }

        degrees ??= double.TryParse(Tag(s, "rotate"), NumberStyles.Float, CultureInfo.InvariantCulture, out var tagged) ? tagged : null;
        if (degrees is not { } value)
        {
            return 0;
        }

        var quarter = (int)Math.Round(value / 90.0) * 90;
        return ((quarter % 360) + 360) % 360;
    }

    // Matroska and WebM give a stream no "duration" of its own; the muxer writes it as a tag instead, "00:00:05.264000000".
    private static double? TaggedDuration(JsonElement s)
    {
        var parts = Tag(s, "DURATION")?.Split(':');
        return parts is { Length: 3 }
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            && double.TryParse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && (hours * 3600.0) + (minutes * 60.0) + seconds is var total and > 0
            ? total
            : null;
    }

    private static string? Tag(JsonElement s, string name) =>
        s.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object ? String(tags, name) : null;

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        }
        : null;

    // ffprobe writes most numbers as strings ("duration": "6.133333") and a few as numbers; accept both.
    private static double? Double(JsonElement e, string name) =>
        double.TryParse(String(e, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    private static long? Long(JsonElement e, string name) =>
        long.TryParse(String(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int? Int(JsonElement e, string name) =>
        int.TryParse(String(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
