using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Embedded;
using Pipeline.Contracts.Jobs;
using Pipeline.Media;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench --video V --audio A</c>: one dub job end to end in embedded mode, from an empty store (no cache
/// hit can flatter it), timed per stage, with peak memory and CPU time (in all, and by tool); then, in the same run
/// and on the same file, the floor any tool pays: ffmpeg decoding the video and re-encoding it with the output's
/// encoder settings, alone. With <c>--second-audio</c>, the same video is then dubbed with another speech track in the
/// same store: a catalog title's next language, which reuses what depends on the video alone (its tracking, its own
/// speech's features, the exemplar bank) and pays for the new speech, motion, rendering and muxing.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var video = new Option<string>("--video") { Description = "The target video", Required = true };
        var audio = new Option<string>("--audio") { Description = "The new speech", Required = true };
        var second = new Option<string?>("--second-audio")
        {
            Description = "Then dub the same video with this speech too, in the same store (a title's next language: its video-only stages are cached); reported as second_dub",
        };
        var policy = new Option<LengthPolicy>("--length-policy") { Description = "As for dub", DefaultValueFactory = _ => LengthPolicy.Cut };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var command = new Command("bench", "Time a dub end to end against the ffmpeg decode + re-encode floor on the same file") { video, audio, second, policy, json, verbose };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(video)!, parse.GetValue(audio)!, parse.GetValue(second), parse.GetValue(policy), parse.GetValue(json), parse.GetValue(verbose), ct));
        return command;
    }

    private static async Task<int> RunAsync(string videoPath, string audioPath, string? secondAudioPath, LengthPolicy policy, bool json, bool verbose, CancellationToken ct)
    {
        foreach (var (path, option) in new[] { (videoPath, "--video"), (audioPath, "--audio"), (secondAudioPath, "--second-audio") })
        {
            if (path is not null && !File.Exists(path))
            {
                throw new CliException($"{option} '{path}' does not exist", ExitCodes.Usage);
            }
        }

        // A fresh home: the job's store and database start empty, so every stage does its work. Set before the
        // embedded runtime first reads PIPELINE_HOME.
        var home = Path.Combine(Path.GetTempPath(), $"pipeline-bench-{Guid.NewGuid():N}");
        Environment.SetEnvironmentVariable("PIPELINE_HOME", home);
        try
        {
            var settings = OutputSettings.Default;
            Directory.CreateDirectory(home);
            var output = OutputFile.Check(Path.Combine(home, "dub.mp4"));
            var options = JobOptions.Default with { LengthPolicy = policy, Output = settings };

            var wall = Stopwatch.StartNew();
            var cpuBefore = CpuSeconds();
            DubJob.Result run;
            long treePeakMb, treePeakPssMb;
            IReadOnlyDictionary<string, long> peakByTool;
            IReadOnlyDictionary<string, double> cpuByTool;
            await using (var sampler = new ProcessTreeSampler(TimeSpan.FromMilliseconds(100)))
            {
                run = await DubJob.RunAsync(videoPath, audioPath, output, options, quiet: json, verbose, ct);
                treePeakMb = sampler.PeakMb;
                treePeakPssMb = sampler.PeakPssMb;
                peakByTool = sampler.PeakMbByTool();
                cpuByTool = sampler.CpuSecondsByTool();
            }

            var dubSeconds = wall.Elapsed.TotalSeconds;
            var dubCpu = CpuSeconds() - cpuBefore;
            var peaks = ResourceUsage.PeakRss();

            using var services = MediaTools.Create(verbose);
            var source = await services.GetRequiredService<MediaProber>().ProbeAsync(videoPath, ct);
            var floorCpuBefore = CpuSeconds();
            var floorSeconds = await FloorAsync(services.GetRequiredService<FfmpegRunner>(), videoPath, Path.Combine(home, "floor.mp4"), settings, source.Video, ct);
            var floorCpu = CpuSeconds() - floorCpuBefore;

            SecondDub? secondDub = null;
            if (secondAudioPath is not null)
            {
                var again = Stopwatch.StartNew();
                var cpuAgain = CpuSeconds();
                var next = await DubJob.RunAsync(videoPath, secondAudioPath, OutputFile.Check(Path.Combine(home, "dub2.mp4")), options, quiet: json, verbose, ct);
                var seconds = again.Elapsed.TotalSeconds;
                var cpu = CpuSeconds() - cpuAgain;
                secondDub = new SecondDub(
                    Path.GetFullPath(secondAudioPath),
                    Math.Round(next.Output.DurationSeconds, 3),
                    Math.Round(seconds, 3),
                    Math.Round(seconds / next.Output.DurationSeconds, 3),
                    Math.Round(seconds / floorSeconds, 3),
                    Math.Round(cpu, 1),
                    Math.Round(cpu / (seconds * Environment.ProcessorCount), 3),
                    next.Stages,
                    CacheHits(next));
            }

            var duration = run.Output.DurationSeconds;
            var frames = run.Output.Video?.FrameCount ?? (long)Math.Round(duration * (source.Video?.FrameRate.Value ?? 25));
            var report = new
            {
                Video = Path.GetFullPath(videoPath),
                Audio = Path.GetFullPath(audioPath),
                Width = source.Video?.Width,
                Height = source.Video?.Height,
                DurationS = Math.Round(duration, 3),
                Frames = frames,
                WallS = Math.Round(dubSeconds, 3),
                Fps = Math.Round(frames / dubSeconds, 2),
                RealtimeFactor = Math.Round(dubSeconds / duration, 3),
                FloorWallS = Math.Round(floorSeconds, 3),
                RatioToFloor = Math.Round(dubSeconds / floorSeconds, 3),
                PeakRssMb = treePeakMb,
                PeakPssMb = treePeakPssMb,
                PeakRssByToolMb = peakByTool,
                PeakProcessRssMb = peaks.SelfMb,
                CpuS = Math.Round(dubCpu, 1),
                FloorCpuS = Math.Round(floorCpu, 1),
                CpuUtilisation = Math.Round(dubCpu / (dubSeconds * Environment.ProcessorCount), 3),
                CpuByToolS = cpuByTool,
                Cores = Environment.ProcessorCount,
                Stages = run.Stages,
                CacheHits = CacheHits(run),
                VideoStreamCopied = run.Muxed.VideoStreamCopied,
                MotionModel = run.Motion.Model,
                SecondDub = secondDub,
            };
            if (json)
            {
                CliJson.Print(report);
            }
            else
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"dub of {report.DurationS:F1} s ({report.Width}x{report.Height}, {frames} frames): {report.WallS:F2} s wall, {report.Fps} fps, real-time factor {report.RealtimeFactor}; " +
                    $"floor (ffmpeg decode + re-encode) {report.FloorWallS:F2} s, ratio {report.RatioToFloor}; peak RSS {report.PeakRssMb} MB (process and its tools; the process alone {report.PeakProcessRssMb} MB), PSS {report.PeakPssMb} MB"));
                var tools = string.Join(", ", cpuByTool.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value:F1} s")));
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  CPU {report.CpuS:F1} s ({report.CpuUtilisation:P0} of {report.Cores} cores over the wall time), floor {report.FloorCpuS:F1} s; by tool (sampled): {tools}"));
                Console.WriteLine(StageLine(run.Stages));
                if (secondDub is { } d)
                {
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"second dub of the same video ({d.DurationS:F1} s of other speech): {d.WallS:F2} s wall, real-time factor {d.RealtimeFactor}, ratio to floor {d.RatioToFloor}; " +
                        $"CPU {d.CpuS:F1} s ({d.CpuUtilisation:P0}); cached: {(d.CacheHits.Length == 0 ? "nothing" : string.Join(", ", d.CacheHits))}"));
                    Console.WriteLine(StageLine(d.Stages));
                }
            }

            return ExitCodes.Ok;
        }
        finally
        {
            if (Directory.Exists(home))
            {
                Directory.Delete(home, recursive: true);
            }
        }
    }

    /// <summary>The <c>--second-audio</c> dub: the same video, other speech, the first dub's store.</summary>
    private sealed record SecondDub(
        string Audio, double DurationS, double WallS, double RealtimeFactor, double RatioToFloor, double CpuS, double CpuUtilisation,
        Dictionary<string, double> Stages, string[] CacheHits);

    private static string[] CacheHits(DubJob.Result run) => run.Runs.Where(r => r.CacheHit).Select(r => r.Node).ToArray();

    private static string StageLine(Dictionary<string, double> stages) =>
        "  " + string.Join("  ", stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:F2}s")));

    // This process and every tool it has started and reaped, exactly (getrusage), in CPU seconds.
    private static double CpuSeconds()
    {
        var (self, children) = ResourceUsage.CpuSeconds();
        return self + children;
    }

    // The video decoded and re-encoded as the renderer's output will be (x264 at the output's crf and preset, and at
    // 10 bits where the renderer keeps a 10-bit source's depth), no audio.
    private static async Task<double> FloorAsync(FfmpegRunner runner, string videoPath, string outPath, OutputSettings settings, VideoStreamInfo? video, CancellationToken ct)
    {
        var bits = video is not null && VideoDecodeOptions.CanDeliverYuv420(video) ? VideoDecodeOptions.Yuv420Bits(video) : 8;
        var pixelFormat = EncodeSettings.Default.ForSampleBits(bits).PixelFormat;
        var clock = Stopwatch.StartNew();
        await runner.RunAsync(
            ["-hide_banner", "-y", "-i", videoPath, "-map", "0:v:0", "-an", "-c:v", "libx264", "-preset", settings.Preset, "-crf", settings.Crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", pixelFormat, outPath],
            new FfmpegRunOptions(FilePath: videoPath),
            ct);
        return clock.Elapsed.TotalSeconds;
    }
}
