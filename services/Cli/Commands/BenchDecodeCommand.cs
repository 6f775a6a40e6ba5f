using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Media;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench-decode --video V</c>: decodes every frame to rgb24 the way stages do and reports speed and
/// peak memory, this process and its ffmpeg child together, to show memory stays flat with duration.
/// </summary>
public static class BenchDecodeCommand
{
    public static Command Create()
    {
        var video = new Option<string>("--video") { Description = "The video to decode", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("bench-decode", "Decode every frame of a video; report fps and peak memory") { video, json };
        command.SetAction(async (parse, ct) =>
        {
            using var services = MediaTools.Create(verbose: false);
            var prober = services.GetRequiredService<MediaProber>();
            var runner = services.GetRequiredService<FfmpegRunner>();
            var clock = Stopwatch.StartNew();
            long checksum = 0;
            await using (var reader = await VideoFrameReader.OpenAsync(prober, runner, parse.GetValue(video)!, null, ct))
            {
                var frame = new byte[reader.FrameBytes];
                while (await reader.ReadFrameAsync(frame, ct))
                {
                    checksum += frame[frame.Length / 2];
                }

                var seconds = clock.Elapsed.TotalSeconds;
                var peaks = ResourceUsage.PeakRss();
                var report = new
                {
                    Video = Path.GetFullPath(parse.GetValue(video)!),
                    Width = reader.Width,
                    Height = reader.Height,
                    Frames = reader.FramesRead,
                    WallS = Math.Round(seconds, 3),
                    Fps = Math.Round(reader.FramesRead / seconds, 1),
                    PeakRssMb = peaks.SelfMb,
                    PeakChildRssMb = peaks.ChildrenMb,
                    PeakTotalMb = peaks.SelfMb + peaks.ChildrenMb,
                    Checksum = checksum,
                };
                if (parse.GetValue(json))
                {
                    CliJson.Print(report);
                }
                else
                {
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{report.Frames} frames {report.Width}x{report.Height} in {report.WallS:F2} s ({report.Fps} fps); peak RSS {report.PeakRssMb} MB + ffmpeg {report.PeakChildRssMb} MB"));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
