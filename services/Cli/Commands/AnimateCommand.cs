using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Api.Orchestration;
using Pipeline.Cli.Embedded;
using Pipeline.Contracts.Jobs;
using Pipeline.ServiceDefaults;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline animate</c>: one portrait photo plus a speech track in, a talking-head video out.</summary>
public static class AnimateCommand
{
    public static Command Create()
    {
        var image = new Option<string>("--image") { Description = "The portrait photo (any image ffmpeg reads)", Required = true };
        var audio = new Option<string>("--audio") { Description = "The speech (any format ffmpeg reads)", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the result (.mp4, .mov or .mkv)", Required = true };
        var style = new Option<string>("--pose-style")
        {
            Description = "Head motion: calm, neutral or lively",
            DefaultValueFactory = _ => HeadMotion.Default.Style,
        };
        style.AcceptOnlyFromAmong([.. JobPlanner.PoseStyleNames]);
        var seed = new Option<int>("--seed") { Description = "Seed of the head motion and blinks: the same seed gives the same video", DefaultValueFactory = _ => 0 };
        var crf = new Option<int>("--crf") { Description = "x264 quality (lower is better)", DefaultValueFactory = _ => OutputSettings.Default.Crf };
        var preset = new Option<string>("--preset") { Description = "x264 preset", DefaultValueFactory = _ => OutputSettings.Default.Preset };
        var backend = BackendArgument.Option();
        var emotion = EmotionArgument.Option();
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var server = CommonOptions.Server();
        var apiKey = CommonOptions.ApiKey();
        crf.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 51)
            {
                r.AddError("--crf must be between 0 and 51");
            }
        });

        var command = new Command("animate", "Make a talking head from one photo and a speech track")
        {
            image, audio, output, style, seed, emotion, backend, crf, preset, json, verbose, server, apiKey,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(image)!,
            parse.GetValue(audio)!,
            parse.GetValue(output)!,
            JobOptions.Default with
            {
                Output = OutputSettings.Default with { Crf = parse.GetValue(crf), Preset = parse.GetValue(preset)! },
                Backend = new BackendSpec(parse.GetValue(backend)!),
                Emotion = EmotionArgument.Parse(parse.GetValue(emotion)),
                HeadMotion = new HeadMotion(parse.GetValue(style)!, parse.GetValue(seed)),
            },
            parse.GetValue(json),
            parse.GetValue(verbose),
            CommonOptions.Remote(parse.GetValue(server), parse.GetValue(apiKey)),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(string imagePath, string audioPath, string outPath, JobOptions options, bool json, bool verbose, RemoteServer? server, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var output = OutputFile.Check(outPath);
        var run = await DubJob.RunAsync(JobMode.Animate, imagePath, audioPath, output, options, json, verbose, ct, server: server);
        if (json)
        {
            CliJson.Print(new
            {
                Output = output.FullPath,
                DurationS = Math.Round(run.Output.DurationSeconds, 3),
                Stages = run.Stages,
                JobId = run.JobId,
                Mode = "animate",
                Fps = StageCommands.AnimateFramesPerSecond,
                PoseStyle = options.HeadMotion.Style,
                Seed = options.HeadMotion.Seed,
                CacheHits = run.Runs.Where(s => s.CacheHit).Select(s => s.Node).ToArray(),
                Motion = new { run.Motion.Model, run.Motion.Frames, Artifact = run.Motion.Motion.Key },
                Backend = RenderBackends.Resolve(options.Backend, JobMode.Animate),
                Render = run.Render,
                WallS = Math.Round(wall.Elapsed.TotalSeconds, 3),
            });
        }
        else
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"wrote {outPath} ({run.Output.DurationSeconds:F2} s, {run.Render.Frames} frames at {StageCommands.AnimateFramesPerSecond} fps, pose {options.HeadMotion.Style}, seed {options.HeadMotion.Seed}) in {wall.Elapsed.TotalSeconds:F1} s"));
            Console.WriteLine("  " + string.Join("  ", run.Stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:F2}s"))));
        }

        return ExitCodes.Ok;
    }
}
