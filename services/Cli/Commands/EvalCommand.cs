using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Cli.Eval;
using Pipeline.Encoding.Content;
using Pipeline.Media;
using Pipeline.Motion.Evaluation;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline eval --video V</c> and <c>pipeline eval-all DIR</c>: self-reenactment on real clips — fit on the first
/// part, drive the rest with the clip's own speech, score ours, the generic model and the static and energy
/// baselines against the real faces, in one run.
/// </summary>
public static class EvalCommand
{
    private static readonly string[] VideoExtensions = [".mp4", ".mov", ".mkv", ".webm", ".avi"];

    public static Command Create()
    {
        var video = new Option<string>("--video") { Description = "A talking-head clip with its own speech", Required = true };
        var split = SplitOption();
        var report = new Option<string?>("--report") { Description = "Folder for plots (mouth opening over time) and a landmark contact sheet" };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var cache = CacheOption();
        var noRender = NoRenderOption();
        var command = new Command("eval", "Score motion prediction and rendering on a clip (self-reenactment) against baselines") { video, split, report, cache, noRender, json, verbose };
        command.SetAction(async (parse, ct) =>
        {
            var results = await RunAsync([parse.GetValue(video)!], parse.GetValue(split), parse.GetValue(report), parse.GetValue(cache), !parse.GetValue(noRender), parse.GetValue(verbose), failFast: true, ct);
            var clip = results.Clips.Single();
            if (parse.GetValue(json))
            {
                CliJson.Print(clip);
            }
            else
            {
                PrintTable(results.Clips, null);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateAll()
    {
        var folder = new Argument<string>("DIR") { Description = "A folder of talking-head clips" };
        var split = SplitOption();
        var report = new Option<string?>("--report") { Description = "Folder for every clip's plots and contact sheet" };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var cache = CacheOption();
        var noRender = NoRenderOption();
        var command = new Command("eval-all", "Run eval over every clip in a folder; per-clip figures and means") { folder, split, report, cache, noRender, json, verbose };
        command.SetAction(async (parse, ct) =>
        {
            var dir = parse.GetValue(folder)!;
            if (!Directory.Exists(dir))
            {
                throw new CliException($"'{dir}' is not a folder");
            }

            var videos = Directory.GetFiles(dir).Where(f => VideoExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToList();
            if (videos.Count == 0)
            {
                throw new CliException($"'{dir}' holds no video clips ({string.Join(", ", VideoExtensions)})");
            }

            var results = await RunAsync(videos, parse.GetValue(split), parse.GetValue(report), parse.GetValue(cache), !parse.GetValue(noRender), parse.GetValue(verbose), failFast: false, ct);
            var mean = Mean(results.Clips);
            if (parse.GetValue(json))
            {
                CliJson.Print(new { results.Clips, Mean = mean, results.Skipped });
            }
            else
            {
                PrintTable(results.Clips, mean);
                foreach (var s in results.Skipped)
                {
                    Console.WriteLine($"skipped {s.Clip}: {s.Reason}");
                }
            }

            return results.Clips.Count == 0 ? throw new CliException("no clip could be evaluated") : ExitCodes.Ok;
        });
        return command;
    }

    private static Option<string?> CacheOption() =>
        new("--cache") { Description = "Keep each clip's tracked faces and speech features in this folder and reuse them next time (only the models run again)" };

    private static Option<bool> NoRenderOption() =>
        new("--no-render") { Description = "Score the landmarks only: skip rendering the predicted part, re-tracking it and the image metrics" };

    private static Option<double> SplitOption()
    {
        var split = new Option<double>("--split") { Description = "Share of each clip used to fit (the rest is predicted and scored)", DefaultValueFactory = _ => 0.6 };
        split.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<double>();
            if (!(v is > 0.1 and < 0.95))
            {
                r.AddError("--split must be between 0.1 and 0.95");
            }
        });
        return split;
    }

    public sealed record Skip(string Clip, string Reason);

    public sealed record Results(List<ClipEvaluation> Clips, List<Skip> Skipped);

    private static async Task<Results> RunAsync(IReadOnlyList<string> videos, double split, string? report, string? cacheFolder, bool render, bool verbose, bool failFast, CancellationToken ct)
    {
        using var services = MediaTools.Create(verbose);
        var (prober, runner, logs) = (services.GetRequiredService<MediaProber>(), services.GetRequiredService<FfmpegRunner>(), services.GetRequiredService<ILoggerFactory>());
        var content = services.GetRequiredService<ContentEncoderOptions>();
        var preparer = new ClipPreparer(prober, runner, content, logs);
        var renderer = new RenderEvaluator(prober, runner, logs);
        var results = new Results([], []);
        var cache = cacheFolder is null ? null : new ClipCache(Path.GetFullPath(cacheFolder), content.PocketSphinx.SearchSettings());
        foreach (var video in videos)
        {
            var work = Path.Combine(Path.GetTempPath(), $"pipeline-eval-{Guid.NewGuid():N}");
            try
            {
                var clip = cache?.TryLoad(video);
                if (clip is null)
                {
                    clip = await preparer.PrepareAsync(video, work, ct);
                    cache?.Save(video, clip);
                }

                if (clip.Valid.Count(v => v != 0) < 0.5 * clip.Frames)
                {
                    throw new CliException($"a face was found in only {clip.Valid.Count(v => v != 0)} of {clip.Frames} frames");
                }

                var (evaluation, series) = ClipEvaluator.Evaluate(clip, split);
                if (render)
                {
                    var sideBySide = report is null ? null : Path.Combine(Path.GetFullPath(report), $"{clip.Name}-side-by-side.mp4");
                    if (sideBySide is not null)
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(sideBySide)!);
                    }

                    var (ours, stat) = await renderer.EvaluateAsync(video, clip, series, Path.Combine(work, "render"), sideBySide, ct);
                    evaluation = evaluation with { Ours = WithRender(evaluation.Ours, ours), Static = WithRender(evaluation.Static, stat) };
                }

                results.Clips.Add(evaluation);
                if (report is not null)
                {
                    await EvalReport.WriteAsync(Path.GetFullPath(report), clip, series, ct);
                }

                if (!failFast)
                {
                    Console.Error.WriteLine(
                        $"eval: {evaluation.Clip}: M-LMD {evaluation.Ours.MLmd:0.00} (static {evaluation.Static.MLmd:0.00}, energy {evaluation.Energy.MLmd:0.00})"
                        + (render ? $"; rendered: re-tracked {evaluation.Ours.RetrackedMLmd:0.00}, mouth SSIM {evaluation.Ours.MouthSsim:0.000} (static {evaluation.Static.MouthSsim:0.000}), outside {evaluation.Ours.OutsidePsnr:0.0} dB" : ""));
                }
            }
            catch (Exception e) when (!failFast && !ct.IsCancellationRequested)
            {
                // One clip's failure (no face, no speech, a recogniser that died) is that clip's result, not the run's.
                results.Skipped.Add(new Skip(Path.GetFileNameWithoutExtension(video), e.Message));
                Console.Error.WriteLine($"eval: skipped {Path.GetFileName(video)}: {e.Message}");
            }
            finally
            {
                if (Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
        }

        return results;
    }

    private static EvalScores WithRender(EvalScores scores, RenderEvaluator.Scores rendered) => scores with
    {
        RetrackedMLmd = rendered.RetrackedMLmd,
        MouthSsim = rendered.MouthSsim,
        MouthPsnr = rendered.MouthPsnr,
        OutsidePsnr = rendered.OutsidePsnr,
    };

    private static object Mean(IReadOnlyList<ClipEvaluation> clips) => new
    {
        Ours = EvalScores.Mean(clips.Select(c => c.Ours)),
        Generic = EvalScores.Mean(clips.Select(c => c.Generic)),
        Static = EvalScores.Mean(clips.Select(c => c.Static)),
        Energy = EvalScores.Mean(clips.Select(c => c.Energy)),
        PauseOpenRatio = MeanOf(clips, c => c.PauseOpenRatio),
        CrossDrive = new
        {
            FollowR = MeanOf(clips, c => c.CrossDrive?.FollowR),
            LeakR = MeanOf(clips, c => c.CrossDrive?.LeakR),
            ChanceR = MeanOf(clips, c => c.CrossDrive?.ChanceR),
        },
        OursBeatsStatic = clips.Count(c => c.Ours.MLmd <= 0.8 * c.Static.MLmd) / (double)Math.Max(1, clips.Count),
        OursBeatsEnergy = clips.Count(c => c.Ours.MLmd <= 0.9 * c.Energy.MLmd) / (double)Math.Max(1, clips.Count),
    };

    // The mean over clips where the figure is defined (NaN when none is).
    private static double MeanOf(IReadOnlyList<ClipEvaluation> clips, Func<ClipEvaluation, double?> value) =>
        clips.Select(c => value(c) ?? double.NaN).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();

    private static void PrintTable(IReadOnlyList<ClipEvaluation> clips, object? mean)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(inv, "{0,-24} {1,-8} {2,7} {3,7} {4,7} {5,7} {6,6} {7,6} {8,7} {9,5} {10,6} {11,6} {12,6}", "clip", "model", "ours", "generic", "static", "energy", "r", "r_gen", "lvd", "lag", "follow", "leak", "chance"));
        foreach (var c in clips)
        {
            Console.WriteLine(string.Format(inv, "{0,-24} {1,-8} {2,7:0.00} {3,7:0.00} {4,7:0.00} {5,7:0.00} {6,6:0.00} {7,6:0.00} {8,7:0.00} {9,5} {10,6:0.00} {11,6:0.00} {12,6:0.00}",
                c.Clip, c.Model, c.Ours.MLmd, c.Generic.MLmd, c.Static.MLmd, c.Energy.MLmd, c.Ours.OpenR, c.Generic.OpenR, c.Ours.Lvd, c.Ours.SyncLag,
                c.CrossDrive?.FollowR ?? double.NaN, c.CrossDrive?.LeakR ?? double.NaN, c.CrossDrive?.ChanceR ?? double.NaN));
        }

        if (clips.Count > 1)
        {
            var o = EvalScores.Mean(clips.Select(c => c.Ours));
            var g = EvalScores.Mean(clips.Select(c => c.Generic));
            var s = EvalScores.Mean(clips.Select(c => c.Static));
            var e = EvalScores.Mean(clips.Select(c => c.Energy));
            Console.WriteLine(string.Format(inv, "{0,-24} {1,-8} {2,7:0.00} {3,7:0.00} {4,7:0.00} {5,7:0.00} {6,6:0.00} {7,6:0.00} {8,7:0.00} {9,5:0.0} {10,6:0.00} {11,6:0.00} {12,6:0.00}",
                "mean", "", o.MLmd, g.MLmd, s.MLmd, e.MLmd, o.OpenR, g.OpenR, o.Lvd, o.SyncLag,
                MeanOf(clips, c => c.CrossDrive?.FollowR), MeanOf(clips, c => c.CrossDrive?.LeakR), MeanOf(clips, c => c.CrossDrive?.ChanceR)));
        }

        _ = mean;
    }
}
