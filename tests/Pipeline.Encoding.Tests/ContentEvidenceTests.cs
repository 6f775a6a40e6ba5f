using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.Encoding.Content;
using Pipeline.Features;
using Pipeline.TestSupport;

namespace Pipeline.Encoding.Tests;

/// <summary>
/// The measurements behind Content/EVIDENCE.md. The default method's closure rate is asserted (issue 3 acceptance);
/// the full comparison runs PocketSphinx (about 1-2 s per second of audio) and so only runs when
/// PIPELINE_CONTENT_EVIDENCE=1, printing the table into the test output.
/// </summary>
public sealed class ContentEvidenceTests
{
    private const int Fps = 25;

    [Fact]
    public async Task DefaultMethodDetectsAtLeast80PercentOfBilabialClosures()
    {
        EncodingTools.RequirePocketSphinx();
        using var scratch = new ScratchDirectory("closure");
        var tools = new EncodingTools();
        // Sentences in parallel: PocketSphinx is single-threaded and costs about a second per second of audio.
        var scores = await Task.WhenAll(SyntheticCorpus.Sentences.Select(sentence => Task.Run(
            () => ScoreAsync(tools, SyntheticSpeech.Speak(sentence, scratch.Path), ContentEncoder.DefaultMethod, scratch, Fps))));
        var total = ClosureScore.Empty;
        for (var i = 0; i < scores.Length; i++)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{SyntheticCorpus.Sentences[i]}: {scores[i]}");
            total += scores[i];
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"total ({ContentEncoder.DefaultMethod}): {total}");
        Assert.True(total.ClosureRate >= 0.8, $"closure detection {total}");
    }

    [Fact]
    public async Task CompareMethodsOnSyntheticAndRealSpeech()
    {
        if (Environment.GetEnvironmentVariable("PIPELINE_CONTENT_EVIDENCE") != "1")
        {
            Assert.Skip("set PIPELINE_CONTENT_EVIDENCE=1 to run the full method comparison (slow: PocketSphinx)");
        }

        EncodingTools.RequireModel();
        EncodingTools.RequirePocketSphinx();
        using var scratch = new ScratchDirectory("evidence");
        var tools = new EncodingTools();
        var report = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        report.AppendLine(inv, $"| voice | method | closures (argmax) | closures (p(PP)≥{ClosureScore.Threshold}) | PP precision | frame acc. | speech-frame acc. |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        var variants = new (string Label, ContentMethod Method, EncodingTools Tools)[]
        {
            ("PocketSphinx", ContentMethod.PocketSphinx, tools),
            ("PocketSphinx, pbeam 1e-10", ContentMethod.PocketSphinx, new EncodingTools(new ContentEncoderOptions { PocketSphinx = new() { PhoneBeam = 1e-10 } })),
            ("PocketSphinx, pbeam 1e-8", ContentMethod.PocketSphinx, new EncodingTools(new ContentEncoderOptions { PocketSphinx = new() { PhoneBeam = 1e-8 } })),
            ("PocketSphinx, context-independent", ContentMethod.PocketSphinx,
                new EncodingTools(new ContentEncoderOptions { PocketSphinx = new() { ContextIndependent = true, Beam = 1e-48, PhoneBeam = 1e-48 } })),
            ("HeadAudio", ContentMethod.HeadAudio, tools),
            ("HeadAudio, speakerMeanHz 220", ContentMethod.HeadAudio, new EncodingTools(new ContentEncoderOptions { HeadAudioSpeakerMeanHz = 220 })),
            ("Fused 0.5", ContentMethod.Fused, tools),
            ("Fused 0.8 PS", ContentMethod.Fused, new EncodingTools(new ContentEncoderOptions { FusionPocketSphinxWeight = 0.8 })),
            ("Fused 0.5, HeadAudio 220", ContentMethod.Fused, new EncodingTools(new ContentEncoderOptions { HeadAudioSpeakerMeanHz = 220 })),
            ("Fused 0.7 PS, HeadAudio 220", ContentMethod.Fused, new EncodingTools(new ContentEncoderOptions { HeadAudioSpeakerMeanHz = 220, FusionPocketSphinxWeight = 0.7 })),
        };
        var only = Environment.GetEnvironmentVariable("PIPELINE_CONTENT_EVIDENCE_ONLY");
        if (!string.IsNullOrEmpty(only))
        {
            variants = variants.Where(v => v.Label.Contains(only, StringComparison.Ordinal)).ToArray();
        }
        // mb-us2 is not packaged everywhere mb-us1 is; the comparison runs on the voices there are.
        foreach (var voice in ((string[])["mb-us1", "mb-us2"]).Where(v => SyntheticSpeech.IsAvailable(v) || v == SyntheticSpeech.DefaultVoice))
        {
            var utterances = SyntheticCorpus.Sentences.Select(s => SyntheticSpeech.Speak(s, scratch.Path, voice)).ToArray();
            foreach (var (label, method, variantTools) in variants)
            {
                var scores = await Task.WhenAll(utterances.Select(u => Task.Run(() => ScoreAsync(variantTools, u, method, scratch, Fps, label))));
                var total = scores.Aggregate(ClosureScore.Empty, (a, b) => a + b);
                report.AppendLine(inv,
                    $"| {voice} | {label} | {total.DetectedArgmax}/{total.Closures} = {total.ClosureRate:P1} | {total.ClosureRateThreshold:P1} | {total.PpPrecision:P1} ({total.PpFrames}) | {total.FrameAccuracy:P1} | {total.SpeechFrameAccuracy:P1} |");
            }
        }

        report.AppendLine();
        report.AppendLine("| real speech | seconds | PocketSphinx s/s | HeadAudio s/s | argmax agreement PS vs HA | PP frames PS | PP frames HA | PP frames Fused |");
        report.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var name in (string[])["audio/en_radio31.wav", "audio/long_sun_22s.wav", "audio/retalk_audio1.wav", "audio/mead_m006_16k.wav"])
        {
            var path = TestData.Require(name);
            var duration = Ffmpeg.Duration(path);
            var rows = new Dictionary<ContentMethod, float[]>();
            var seconds = new Dictionary<ContentMethod, double>();
            foreach (var method in Enum.GetValues<ContentMethod>())
            {
                var dir = Path.Combine(scratch.Path, $"real-{method}-{Path.GetFileNameWithoutExtension(path)}");
                var watch = Stopwatch.StartNew();
                var result = await tools.Encoder.EncodeAsync(path, Fps, 1, -1, dir, method, TestContext.Current.CancellationToken);
                seconds[method] = method == ContentMethod.PocketSphinx ? result.PocketSphinxSeconds : watch.Elapsed.TotalSeconds;
                rows[method] = NpyReader.Load<float>(Path.Combine(dir, result.Files["visemes"])).Data;
            }

            var frames = rows[ContentMethod.HeadAudio].Length / Visemes.Count;
            int agree = 0, ppPs = 0, ppHa = 0, ppFused = 0;
            for (var f = 0; f < frames; f++)
            {
                var a = ClosureScore.Best(rows[ContentMethod.PocketSphinx].AsSpan(f * Visemes.Count, Visemes.Count));
                var b = ClosureScore.Best(rows[ContentMethod.HeadAudio].AsSpan(f * Visemes.Count, Visemes.Count));
                var c = ClosureScore.Best(rows[ContentMethod.Fused].AsSpan(f * Visemes.Count, Visemes.Count));
                agree += a == b ? 1 : 0;
                ppPs += a == Visemes.PP ? 1 : 0;
                ppHa += b == Visemes.PP ? 1 : 0;
                ppFused += c == Visemes.PP ? 1 : 0;
            }

            report.AppendLine(inv,
                $"| {name} | {duration:0.0} | {seconds[ContentMethod.PocketSphinx] / duration:0.00} | {seconds[ContentMethod.HeadAudio] / duration:0.000} | {agree / (double)frames:P1} | {ppPs / (double)frames:P1} | {ppHa / (double)frames:P1} | {ppFused / (double)frames:P1} |");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "content-evidence.md"), report.ToString());
    }

    internal static async Task<ClosureScore> ScoreAsync(EncodingTools tools, SyntheticUtterance u, ContentMethod method, ScratchDirectory scratch, int fps, string variant = "")
    {
        var dir = Path.Combine(scratch.Path, $"{Path.GetFileNameWithoutExtension(u.WavPath)}-{method}-{fps}-{variant.GetHashCode(StringComparison.Ordinal):x}");
        var result = await tools.Encoder.EncodeAsync(u.WavPath, fps, 1, -1, dir, method, TestContext.Current.CancellationToken);
        var (data, _) = NpyReader.Load<float>(Path.Combine(dir, result.Files["visemes"]));
        return ClosureScore.Score(data, (int)result.Frames, fps, u.Phonemes);
    }
}
