using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Cli.Reports;
using Pipeline.FaceTracking.Tracking;
using Pipeline.Media;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline track --video V --out DIR</c>: face detection, 68 landmarks, smoothing and head pose over a video,
/// written as .npy + track.json, with track.mp4 (landmarks drawn) and contact.png to check it by eye.
/// </summary>
public static class TrackCommand
{
    public static Command Create()
    {
        var video = new Option<string>("--video") { Description = "The video to track", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the track files (created if missing)", Required = true };
        var face = FaceArgument.Option();
        var noOverlay = new Option<bool>("--no-overlay") { Description = "Skip track.mp4 and contact.png (they re-decode and re-encode the video)" };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var command = new Command("track", "Track faces: detection, 68 landmarks, smoothing, head pose") { video, output, face, noOverlay, json, verbose };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(video)!, parse.GetValue(output)!, parse.GetValue(face), parse.GetValue(noOverlay), parse.GetValue(json), parse.GetValue(verbose), ct));
        return command;
    }

    private static async Task<int> RunAsync(string videoPath, string outDir, string? faceText, bool noOverlay, bool json, bool verbose, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var selection = FaceArgument.Parse(faceText);
        var folder = Path.GetFullPath(outDir);
        if (File.Exists(folder))
        {
            throw new CliException($"--out '{outDir}' is a file; give a folder");
        }

        Directory.CreateDirectory(folder);
        using var services = MediaTools.Create(verbose);
        var prober = services.GetRequiredService<MediaProber>();
        var runner = services.GetRequiredService<FfmpegRunner>();
        var tracker = new FaceTrackRunner(prober, runner, new FaceTrackerOptions(), services.GetRequiredService<ILogger<FaceTrackRunner>>());
        var summary = await tracker.RunAsync(videoPath, null, selection, folder, null, ct);

        string? mp4 = null, png = null;
        if (!noOverlay)
        {
            mp4 = Path.Combine(folder, "track.mp4");
            png = Path.Combine(folder, "contact.png");
            await TrackOverlay.WriteAsync(prober, runner, videoPath, folder, mp4, png, ct);
        }

        if (json)
        {
            CliJson.Print(new
            {
                summary.Frames,
                summary.FaceFrames,
                TrackingFps = Math.Round(summary.TrackingFps, 1),
                TrackingS = Math.Round(summary.TrackingSeconds, 3),
                DecodeS = Math.Round(summary.DecodeSeconds, 3),
                summary.Width,
                summary.Height,
                Fps = Math.Round(summary.Fps, 6),
                Faces = summary.Identities,
                summary.Detections,
                summary.Cuts,
                Output = folder,
                Overlay = mp4,
                ContactSheet = png,
                WallS = Math.Round(wall.Elapsed.TotalSeconds, 3),
            });
        }
        else
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{summary.FaceFrames}/{summary.Frames} frames with a face ({summary.Identities} face(s), {summary.Cuts} cut(s)); tracking {summary.TrackingFps:0} fps; wrote {folder}"));
        }

        return summary.Frames == 0 ? throw new CliException($"'{Path.GetFileName(videoPath)}' decoded to no frames") : ExitCodes.Ok;
    }
}
