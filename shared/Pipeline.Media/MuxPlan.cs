using Pipeline.Contracts.Jobs;

namespace Pipeline.Media;

/// <summary>
/// Builds the ffmpeg arguments of the final mux for one request. Inputs come in a fixed order: picture,
/// new audio, original audio (optional), then the source of subtitles/metadata (the video again, or
/// <paramref name="metadata"/>) when input 0 cannot serve them.
/// </summary>
internal sealed class MuxPlan(MediaInfo video, MediaInfo audio, MediaInfo? original, OutputContainer container, OutputSettings output, double target, MediaInfo? metadata = null)
{
    private readonly VideoStreamInfo _video = video.Video!;

    // Rendered chunks carry no subtitles, tags or chapters: then they are read from the source video.
    private readonly MediaInfo _meta = metadata ?? video;

    public FfmpegRunOptions RunOptions(IProgress<double>? progress) => new(TotalSeconds: target, Progress: progress, FilePath: video.Path);

    /// <summary>
    /// Stream copy. Copy can only keep whole packets in decode order, so the cut is chosen from the packet
    /// list (<see cref="VideoPacketIndex.PrefixFor"/>) and applied as an input "-t" on the video, which ffmpeg
    /// checks against decode times and which stops only that stream. (An output -t would also cut the audio
    /// early, and -frames:v makes ffmpeg 5.1 close every stream of the output at once, truncating the audio.)
    /// Loop repeats the input with -stream_loop, still copying. With <paramref name="cover"/> the cut keeps the
    /// fewest packets that last past the target instead of the most that end before it.
    /// </summary>
    public List<string> CopyArgs(VideoPacketIndex? packets, double loopPeriod, double frame, string outputPath, bool cover = false)
    {
        (int Packets, double End) Prefix(VideoPacketIndex index, double length) => cover ? index.CoveringPrefixFor(length) : index.PrefixFor(length);

        var args = new List<string> { "-y" };
        var videoLength = packets?.Length ?? video.VideoDurationSeconds;
        var loop = target > videoLength + (frame / 2);
        double? inputLimit = null;
        if (loop && packets is not null && loopPeriod > 0)
        {
            var whole = (long)Math.Floor(target / loopPeriod);
            var rest = target - (whole * loopPeriod);
            if (rest < frame / 2)
            {
                inputLimit = whole * loopPeriod;
                args.AddRange(["-stream_loop", FfmpegNumber.Int(whole - 1)]);
            }
            else
            {
                var partial = Prefix(packets, rest).Packets;
                inputLimit = (whole * loopPeriod) + (packets.DecodeTimeLimit(partial) ?? loopPeriod);
                args.AddRange(["-stream_loop", FfmpegNumber.Int(whole)]);
            }
        }
        else if (loop)
        {
            args.AddRange(["-stream_loop", "-1"]);
            inputLimit = target;
        }
        else if (target < videoLength - (frame / 2))
        {
            inputLimit = packets is null ? target : packets.DecodeTimeLimit(Prefix(packets, target).Packets);
        }

        if (inputLimit is { } limit)
        {
            args.AddRange(["-t", FfmpegNumber.Seconds(limit)]);
        }

        args.AddRange(InputArgs.For(video));
        var meta = AddInputs(args, separateMetaInput: loop);
        args.AddRange(["-map", $"0:{FfmpegNumber.Int(_video.Index)}", "-c:v", "copy"]);
        if (_video.Codec == "hevc" && container.FastStart)
        {
            // Apple players only take HEVC in mp4/mov under the hvc1 tag.
            args.AddRange(["-tag:v", "hvc1"]);
        }

        AddAudio(args);
        if (MappableSubtitles.Any())
        {
            // Only subtitles can outrun the target here; the kept video packets all decode before it.
            args.AddRange(["-t", FfmpegNumber.Seconds(target + (frame / 4))]);
        }

        AddTail(args, meta, outputPath);
        return args;
    }

    /// <summary>Re-encode with the last frame repeated (tpad clone) until the audio ends.</summary>
    public List<string> HoldArgs(EncodeSettings settings, double videoLength, string outputPath)
    {
        var args = new List<string> { "-y" };
        args.AddRange(InputArgs.For(video));
        var meta = AddInputs(args);
        var hold = FfmpegNumber.Seconds(Math.Max(0, target - videoLength) + 1);
        var filter = $"tpad=stop_mode=clone:stop_duration={hold}";
        if (settings.EvenSizeFilter(_video.DisplayWidth, _video.DisplayHeight) is { } crop)
        {
            filter += "," + crop;
        }

        args.AddRange(["-map", $"0:{FfmpegNumber.Int(_video.Index)}", "-vf", filter, .. settings.VideoArgs()]);
        AddAudio(args);
        args.AddRange(["-t", FfmpegNumber.Seconds(target)]);
        AddTail(args, meta, outputPath);
        return args;
    }

    /// <summary>Re-encode of the prepared forward/backward sequence (a concat list) under the new audio.</summary>
    public List<string> BounceArgs(string concatList, EncodeSettings settings, string outputPath)
    {
        var args = new List<string> { "-y", "-f", "concat", "-safe", "0", "-i", concatList };
        var meta = AddInputs(args, separateMetaInput: true);
        args.AddRange(["-map", "0:v:0"]);
        if (settings.EvenSizeFilter(_video.DisplayWidth, _video.DisplayHeight) is { } crop)
        {
            args.AddRange(["-vf", crop]);
        }

        args.AddRange(settings.VideoArgs());
        args.AddRange(["-fps_mode", "cfr", "-r", _video.ClockRate.ToString()]);
        AddAudio(args);
        args.AddRange(["-t", FfmpegNumber.Seconds(target)]);
        AddTail(args, meta, outputPath);
        return args;
    }

    private IEnumerable<SubtitleStreamInfo> MappableSubtitles =>
        _meta.SubtitleStreams.Where(s => s.IsText || !container.TextSubtitlesOnly);

    /// <summary>Adds audio, original audio and (when needed) the metadata input; returns the metadata input's index.</summary>
    private int AddInputs(List<string> args, bool separateMetaInput = false)
    {
        args.AddRange(InputArgs.For(audio));
        var next = 2;
        if (original is not null)
        {
            args.AddRange(InputArgs.For(original));
            next++;
        }

        if (!separateMetaInput && metadata is null)
        {
            return 0;
        }

        // A plain read for subtitles, metadata and chapters: input 0 is looped, a concat list, or rendered chunks.
        args.AddRange(InputArgs.For(_meta));
        return next;
    }

    private void AddAudio(List<string> args)
    {
        var end = FfmpegNumber.Seconds(target);
        var newAudio = audio.Audio!;
        var pad = audio.AudioDurationSeconds < target;
        args.AddRange(["-map", $"1:{FfmpegNumber.Int(newAudio.Index)}", "-filter:a:0", pad ? $"apad,atrim=end={end}" : $"atrim=end={end}"]);
        if (original?.Audio is { } kept)
        {
            args.AddRange(["-map", $"2:{FfmpegNumber.Int(kept.Index)}", "-filter:a:1", $"atrim=end={end}"]);
        }

        var codec = string.IsNullOrWhiteSpace(output.AudioCodec) ? "aac" : output.AudioCodec;
        args.AddRange(["-c:a", codec, "-b:a", $"{FfmpegNumber.Int(Math.Clamp(output.AudioBitrateKbps, 32, 512))}k", "-disposition:a:0", "default"]);
        if (original is not null)
        {
            args.AddRange(["-disposition:a:1", "0", "-metadata:s:a:1", "title=Original audio"]);
            if (container.FastStart)
            {
                // mp4/mov keep no per-track title; players list a track by its handler name instead.
                args.AddRange(["-metadata:s:a:1", "handler_name=Original audio"]);
            }
        }
    }

    private void AddTail(List<string> args, int meta, string outputPath)
    {
        var index = 0;
        foreach (var subtitle in MappableSubtitles)
        {
            var codec = container.TextSubtitlesOnly ? container.TextSubtitleCodec
                : subtitle.Codec == "mov_text" ? container.TextSubtitleCodec
                : "copy";
            args.AddRange(["-map", $"{FfmpegNumber.Int(meta)}:{FfmpegNumber.Int(subtitle.Index)}", $"-c:s:{FfmpegNumber.Int(index)}", codec]);
            index++;
        }

        args.AddRange(["-map_metadata", FfmpegNumber.Int(meta), "-map_chapters", FfmpegNumber.Int(meta), "-max_muxing_queue_size", "4096"]);
        args.AddRange(container.Args());
        args.Add(outputPath);
    }
}
