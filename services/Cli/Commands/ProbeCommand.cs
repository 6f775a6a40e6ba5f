using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Media;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline probe FILE</c>: what the pipeline sees in a media file.</summary>
public static class ProbeCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A video, audio or image file" };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var command = new Command("probe", "Show the streams, duration and format of a media file") { file, json, verbose };
        command.SetAction(async (parse, ct) =>
        {
            using var services = MediaTools.Create(parse.GetValue(verbose));
            var info = await services.GetRequiredService<MediaProber>().ProbeAsync(parse.GetValue(file)!, ct);
            if (parse.GetValue(json))
            {
                CliJson.Print(info);
            }
            else
            {
                Print(info);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(MediaInfo info)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{info.Path}"));
        Console.WriteLine(string.Create(c, $"  format    {info.FormatName}, {info.DurationSeconds:F3} s, {info.SizeBytes:N0} bytes"));
        foreach (var v in info.VideoStreams)
        {
            var cover = v.IsAttachedPicture ? " (cover art)" : string.Empty;
            Console.WriteLine(string.Create(c, $"  video #{v.Index}  {v.Codec} {v.Width}x{v.Height} {v.PixelFormat}, {v.FrameRate.Value:0.###} fps (avg {v.AverageFrameRate.Value:0.###}), {v.FrameCount?.ToString(c) ?? "?"} frames{cover}"));
        }

        foreach (var a in info.AudioStreams)
        {
            Console.WriteLine(string.Create(c, $"  audio #{a.Index}  {a.Codec} {a.SampleRate} Hz, {a.Channels} ch{(a.ChannelLayout is null ? string.Empty : " " + a.ChannelLayout)}"));
        }

        if (info.SubtitleStreamCount > 0)
        {
            Console.WriteLine(string.Create(c, $"  subtitles {info.SubtitleStreamCount} stream(s)"));
        }
    }
}
