using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Cli.Embedded;
using Pipeline.Contracts.Jobs;
using Pipeline.ServiceDefaults;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline dub</c>: a target video plus a new speech track in, the dubbed video out.</summary>
public static class DubCommand
{

    public static Command Create()
    {
        var video = new Option<string>("--video") { Description = "The target video (any format ffmpeg reads)", Required = true };
        var audio = new Option<string>("--audio") { Description = "The new speech track (any format ffmpeg reads)", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the result (.mp4, .mov or .mkv)", Required = true };
        var policy = new Option<LengthPolicy>("--length-policy")
        {
            Description = "When audio and video lengths differ: cut | loop | bounce | hold | pad (see README)",
            DefaultValueFactory = _ => LengthPolicy.Cut,
        };
        var crf = new Option<int>("--crf") { Description = "x264 quality when the video must be re-encoded (lower is better)", DefaultValueFactory = _ => OutputSettings.Default.Crf };
        var preset = new Option<string>("--preset") { Description = "x264 preset when the video must be re-encoded", DefaultValueFactory = _ => OutputSettings.Default.Preset };
        var keepOriginal = new Option<bool>("--keep-original-audio") { Description = "Keep the video's own audio as a second track" };
        var backend = BackendArgument.Option();
        var model = BackendArgument.ModelOption();
        var face = FaceArgument.Option();
        face.Validators.Add(r =>
        {
            if (FaceArgument.TryParse(r.GetValueOrDefault<string>(), out var selection, out _) && selection.Kind == FaceSelectionKind.All)
            {
                r.AddError("dub redraws one face: choose it with --face largest, index:N or box:X,Y,W,H[@SECONDS]");
            }
        });
        var emotion = EmotionArgument.Option();
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var server = CommonOptions.Server();
        var apiKey = CommonOptions.ApiKey();

        var command = new Command("dub", "Dub a video with a new speech track") { video, audio, output, policy, face, crf, preset, keepOriginal, backend, model, emotion, json, verbose, server, apiKey };
        command.Validators.Add(r => BackendArgument.Validate(r, backend, model));
        crf.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 51)
            {
                r.AddError("--crf must be between 0 and 51");
            }
        });
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(video)!,
            parse.GetValue(audio)!,
            parse.GetValue(output)!,
            JobOptions.Default with
            {
                LengthPolicy = parse.GetValue(policy),
                Output = OutputSettings.Default with { Crf = parse.GetValue(crf), Preset = parse.GetValue(preset)!, KeepOriginalAudio = parse.GetValue(keepOriginal) },
                Backend = new BackendSpec(BackendArgument.Name(parse.GetValue(backend)!, parse.GetValue(model))),
                Face = FaceArgument.Parse(parse.GetValue(face)),
                Emotion = EmotionArgument.Parse(parse.GetValue(emotion)),
            },
            parse.GetValue(json),
            parse.GetValue(verbose),
            parse.GetValue(model),
            CommonOptions.Remote(parse.GetValue(server), parse.GetValue(apiKey)),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(
        string videoPath,
        string audioPath,
        string outPath,
        JobOptions options,
        bool json,
        bool verbose,
        string? model,
        RemoteServer? server,
        CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var output = OutputFile.Check(outPath);
        var run = await DubJob.RunAsync(videoPath, audioPath, output, options, json, verbose, ct, model, server);
        var policy = options.LengthPolicy;
        var (info, muxed, motion, runs, stages) = (run.Output, run.Muxed, run.Motion, run.Runs, run.Stages);

        if (json)
        {
            CliJson.Print(new
            {
                Output = output.FullPath,
                Thumbnail = run.ThumbnailPath,
                Preview = run.PreviewPath,
                DurationS = Math.Round(info.DurationSeconds, 3),
                Stages = stages,
                JobId = run.JobId,
                Mode = "dub",
                LengthPolicy = policy,
                VideoStreamCopied = muxed.VideoStreamCopied,
                CacheHits = runs.Where(s => s.CacheHit).Select(s => s.Node).ToArray(),
                Motion = new { motion.Model, motion.Frames, Artifact = motion.Motion.Key },
                Backend = RenderBackends.Resolve(options.Backend, JobMode.Dub),
                Render = run.Render,
                WallS = Math.Round(wall.Elapsed.TotalSeconds, 3),
            });
        }
        else
        {
            var copied = muxed.VideoStreamCopied ? "video stream copied" : "video re-encoded";
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"wrote {outPath} ({info.DurationSeconds:F2} s, {copied}, length policy {policy.ToString().ToLowerInvariant()}) in {wall.Elapsed.TotalSeconds:F1} s"));
            foreach (var still in new[] { run.ThumbnailPath, run.PreviewPath }.OfType<string>())
            {
                Console.WriteLine($"wrote {Path.GetRelativePath(Environment.CurrentDirectory, still)}");
            }

            Console.WriteLine("  " + string.Join("  ", stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:F2}s"))));
        }

        return ExitCodes.Ok;
    }
}
