using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.AudioFeatures;
using Pipeline.Cli.Eval;
using Pipeline.Contracts.Jobs;
using Pipeline.Encoding.Content;
using Pipeline.Encoding.Emotion;
using Pipeline.Features;
using Pipeline.Media;
using Pipeline.Motion.Stage;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline motion --video V --audio A --out DIR</c>: the dub job's motion stage on its own. Tracks the target,
/// analyses its own sound and the new speech, fits the person-specific mouth model on the target and predicts
/// every frame's 68 landmarks for the new speech, in the frame's pixel coordinates.
/// </summary>
public static class MotionCommand
{
    public static Command Create()
    {
        var video = new Option<string>("--video") { Description = "The target: a talking-head video with its own speech", Required = true };
        var audio = new Option<string>("--audio") { Description = "The new speech", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder for landmarks.npy, present.npy, mouth.npy and motion.json", Required = true };
        var emotion = EmotionArgument.Option();
        var cache = new Option<string?>("--cache") { Description = "Keep the target's tracked faces and speech features here and reuse them" };
        var preview = new Option<string?>("--preview") { Description = "Also draw the motion onto the target's frames (warp) with the new speech, into this .mp4" };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var command = new Command("motion", "Predict the target's face motion for new speech (the dub motion stage)") { video, audio, output, emotion, cache, preview, json, verbose };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(video)!, parse.GetValue(audio)!, parse.GetValue(output)!, EmotionArgument.Parse(parse.GetValue(emotion)),
            parse.GetValue(cache), parse.GetValue(preview), parse.GetValue(json), parse.GetValue(verbose), ct));
        return command;
    }

    private static async Task<int> RunAsync(string videoPath, string audioPath, string outDir, EmotionSpec emotion, string? cacheFolder, string? previewPath, bool json, bool verbose, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        foreach (var (path, option) in new[] { (videoPath, "--video"), (audioPath, "--audio") })
        {
            if (!File.Exists(path))
            {
                throw new CliException($"{option} '{path}' does not exist", ExitCodes.Usage);
            }
        }

        var folder = Path.GetFullPath(outDir);
        Directory.CreateDirectory(folder);
        using var services = MediaTools.Create(verbose);
        var prober = services.GetRequiredService<MediaProber>();
        var runner = services.GetRequiredService<FfmpegRunner>();
        var logs = services.GetRequiredService<ILoggerFactory>();
        var stages = new Dictionary<string, double>();

        // The target: tracked, normalised, and its own speech analysed (cached like eval's clips).
        var clock = Stopwatch.StartNew();
        var content = services.GetRequiredService<ContentEncoderOptions>();
        var cache = cacheFolder is null ? null : new ClipCache(Path.GetFullPath(cacheFolder), content.PocketSphinx.SearchSettings());
        var work = Path.Combine(Path.GetTempPath(), $"pipeline-motion-{Guid.NewGuid():N}");
        ClipData clip;
        try
        {
            clip = cache?.TryLoad(videoPath) ?? await new ClipPreparer(prober, runner, content, logs).PrepareAsync(videoPath, work, ct);
            cache?.Save(videoPath, clip);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        stages["target"] = Math.Round(clock.Elapsed.TotalSeconds, 3);

        // The new speech on the target's frame clock.
        clock.Restart();
        var rate = (await prober.ProbeAsync(videoPath, ct)).Video!.ClockRate;
        var speechFolder = Path.Combine(folder, "speech");
        var features = await FeatureExtraction.RunAsync(prober, runner, audioPath, rate.Numerator, rate.Denominator, speechFolder, null, ct);
        var energy = NpyReader.Load<float>(Path.Combine(speechFolder, features.Files["energy"])).Data;
        var f0 = NpyReader.Load<float>(Path.Combine(speechFolder, features.Files["f0"])).Data;
        await new ContentEncoder(runner, prober, new ContentEncoderOptions(), logs.CreateLogger<ContentEncoder>())
            .EncodeAsync(audioPath, rate.Numerator, rate.Denominator, features.Frames, speechFolder, ContentEncoder.DefaultMethod, energy, ct);
        await new EmotionEncoder().EncodeAsync(emotion, rate.Numerator, rate.Denominator, features.Frames, energy, f0, speechFolder, ct);
        var frames = (int)features.Frames;
        var speech = new SpeechTrack(
            frames,
            NpyReader.Load<float>(Path.Combine(speechFolder, ContentSidecar.VisemesFile)).Data,
            NpyReader.Load<float>(Path.Combine(speechFolder, features.Files["mfcc"])).Data,
            energy,
            NpyReader.Load<byte>(Path.Combine(speechFolder, features.Files["vad"])).Data);
        var emotionRows = NpyReader.Load<float>(Path.Combine(speechFolder, EmotionEncoder.EmotionFile)).Data;
        stages["speech"] = Math.Round(clock.Elapsed.TotalSeconds, 3);

        var target = new TargetFootage(
            clip.Frames, clip.Fps, clip.Faces, clip.Valid, clip.ToCanonical,
            new SpeechTrack(clip.Frames, clip.Visemes, clip.Mfcc, clip.EnergyDbfs, clip.Vad));
        var result = DubMotion.Run(target, speech, emotionRows);
        stages["fit"] = Math.Round(result.FitSeconds, 3);
        stages["predict"] = Math.Round(result.PredictSeconds, 3);

        await MotionArtifact.WriteAsync(folder, result, clip.Fps, clip.Width, clip.Height, emotion, ct);
        if (previewPath is not null)
        {
            clock.Restart();
            await MotionPreview.WriteAsync(prober, runner, videoPath, audioPath, rate, clip, result, Path.GetFullPath(previewPath), ct);
            stages["preview"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        }

        if (json)
        {
            CliJson.Print(new
            {
                Frames = result.Frames,
                FaceFrames = result.Present.Count(p => p != 0),
                Fps = Math.Round(clip.Fps, 6),
                result.Model,
                result.Set,
                result.GenericGain,
                result.Components,
                FitS = Math.Round(result.FitSeconds, 3),
                PredictS = Math.Round(result.PredictSeconds, 3),
                Stages = stages,
                WallS = Math.Round(wall.Elapsed.TotalSeconds, 3),
                Out = folder,
            });
        }
        else
        {
            Console.WriteLine($"motion: {result.Frames} frames ({result.Present.Count(p => p != 0)} with a face), model {result.Model}{(result.Set is null ? "" : $" ({result.Set})")}; fit {result.FitSeconds:0.00} s, predict {result.PredictSeconds:0.00} s; wrote {folder}");
        }

        return ExitCodes.Ok;
    }
}
