using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.AudioFeatures;
using Pipeline.Cli.Reports;
using Pipeline.Contracts.Jobs;
using Pipeline.Encoding.Content;
using Pipeline.Encoding.Emotion;
using Pipeline.Features;
using Pipeline.Media;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline features --audio A --fps F --out DIR</c>: the speech side of the engine on one file: audio features,
/// viseme content and emotion, written as .npy + JSON (readable from Python), plus features.svg to look at.
/// </summary>
public static class FeaturesCommand
{
    public static Command Create()
    {
        var audio = new Option<string>("--audio") { Description = "Speech audio (any format ffmpeg reads, or a video's sound)", Required = true };
        var fps = new Option<string>("--fps") { Description = "The video frame clock: 25, 29.97, 30000/1001, 60...", DefaultValueFactory = _ => "25" };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the feature files (created if missing)", Required = true };
        var method = new Option<ContentMethod>("--content-method") { Description = "Viseme source: PocketSphinx | HeadAudio | Fused", DefaultValueFactory = _ => ContentEncoder.DefaultMethod };
        var emotion = EmotionArgument.Option();
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var command = new Command("features", "Compute audio features, visemes and emotion for a speech track") { audio, fps, output, method, emotion, json, verbose };
        fps.Validators.Add(r =>
        {
            if (!FrameRateArgument.TryParse(r.GetValueOrDefault<string>(), out _, out _))
            {
                r.AddError("--fps must be a positive frame rate such as 25, 29.97 or 30000/1001");
            }
        });
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(audio)!,
            parse.GetValue(fps)!,
            parse.GetValue(output)!,
            parse.GetValue(method),
            EmotionArgument.Parse(parse.GetValue(emotion)),
            parse.GetValue(json),
            parse.GetValue(verbose),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(string audioPath, string fpsText, string outDir, ContentMethod method, EmotionSpec emotion, bool json, bool verbose, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        FrameRateArgument.TryParse(fpsText, out var num, out var den);
        var folder = Path.GetFullPath(outDir);
        if (File.Exists(folder))
        {
            throw new CliException($"--out '{outDir}' is a file; give a folder");
        }

        Directory.CreateDirectory(folder);
        using var services = MediaTools.Create(verbose);
        var prober = services.GetRequiredService<MediaProber>();
        var runner = services.GetRequiredService<FfmpegRunner>();

        var stages = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        var summary = await FeatureExtraction.RunAsync(prober, runner, audioPath, num, den, folder, null, ct);
        stages["audio-features"] = Math.Round(clock.Elapsed.TotalSeconds, 3);

        clock.Restart();
        var energy = NpyReader.Load<float>(Path.Combine(folder, summary.Files["energy"])).Data;
        var f0 = NpyReader.Load<float>(Path.Combine(folder, summary.Files["f0"])).Data;
        var encoder = new ContentEncoder(runner, prober, services.GetRequiredService<ContentEncoderOptions>(), services.GetRequiredService<ILogger<ContentEncoder>>());
        var content = await encoder.EncodeAsync(audioPath, num, den, summary.Frames, folder, method, energy, ct);
        using (var mfcc = NpyReader.Open(Path.Combine(folder, summary.Files["mfcc"])))
        {
            MfccContext.Write(Path.Combine(folder, MfccContext.FileName), mfcc);
        }

        stages["content"] = Math.Round(clock.Elapsed.TotalSeconds, 3);

        clock.Restart();
        await new EmotionEncoder().EncodeAsync(emotion, num, den, summary.Frames, energy, f0, folder, ct);
        stages["emotion"] = Math.Round(clock.Elapsed.TotalSeconds, 3);

        var plot = Path.Combine(folder, "features.svg");
        await File.WriteAllTextAsync(plot, FeaturePlot.Svg(PlotData(folder, summary, energy, f0, Path.GetFileName(audioPath))), ct);

        var peaks = ResourceUsage.PeakRss();
        if (json)
        {
            CliJson.Print(new
            {
                Frames = summary.Frames,
                Fps = Math.Round((double)num / den, 6),
                FpsRational = $"{num}/{den}",
                VoicedFrames = summary.VoicedFrames,
                ActiveFrames = summary.ActiveFrames,
                DurationS = Math.Round(summary.DurationSeconds, 3),
                Output = folder,
                Plot = plot,
                ContentMethod = method,
                PocketsphinxS = Math.Round(content.PocketSphinxSeconds, 3),
                Stages = stages,
                WallS = Math.Round(wall.Elapsed.TotalSeconds, 3),
                PeakRssMb = peaks.SelfMb,
                PeakChildRssMb = peaks.ChildrenMb,
            });
        }
        else
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{summary.Frames} frames at {(double)num / den:0.###} fps ({summary.DurationSeconds:F2} s): {summary.VoicedFrames} voiced, {summary.ActiveFrames} with speech; wrote {folder} and {plot}"));
        }

        return ExitCodes.Ok;
    }

    private static FeaturePlotData PlotData(string folder, Pipeline.AudioFeatures.Dsp.FeatureSummary summary, float[] energy, float[] f0, string title)
    {
        // At most PlotBins.MaxColumns time columns, read row by row: the picture of a three-hour clip costs what a minute's does.
        var bins = PlotBins.Count(summary.Frames);
        var mel = PlotBins.MeanRows(Path.Combine(folder, summary.Files["mel80"]), bins);
        var vad = PlotBins.Majority(Path.Combine(folder, summary.Files["vad"]), bins);
        var visemes = PlotBins.MeanRows(Path.Combine(folder, ContentSidecar.VisemesFile), bins);
        var rate = summary.Frames > 0 ? bins * summary.Fps / summary.Frames : summary.Fps;
        return new FeaturePlotData(title, rate, bins, mel, mel.Length / bins, PlotBins.Mean(energy, bins), PlotBins.Mean(f0, bins, skipZeros: true), vad, visemes, Visemes.Names);
    }
}
