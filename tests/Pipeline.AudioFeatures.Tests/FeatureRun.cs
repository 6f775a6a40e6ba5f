using Pipeline.AudioFeatures.Dsp;
using Pipeline.Features;
using Pipeline.TestSupport;

namespace Pipeline.AudioFeatures.Tests;

/// <summary>The arrays of one extraction, loaded back through <see cref="NpyReader"/>.</summary>
internal sealed record FeatureRun(FeatureSummary Summary, string Folder, float[] Mel80, float[] Wav2Lip, float[] Mfcc, float[] Energy, float[] F0, float[] Voicing, byte[] Vad)
{
    public long Frames => Summary.Frames;

    public long MelFrames => Wav2Lip.Length / 80;

    public float Mel(long frame, int band) => Mel80[(frame * 80) + band];

    /// <summary>Runs the extractor over <paramref name="samples"/>, handing them over in chunks of <paramref name="chunk"/>.</summary>
    public static async Task<FeatureRun> ExtractAsync(ScratchDirectory scratch, float[] samples, int fpsNumerator = 25, int fpsDenominator = 1, int chunk = 4000, string? name = null)
    {
        var folder = scratch.File(name ?? $"features-{Guid.NewGuid():N}");
        var position = 0;
        ValueTask<int> Read(Memory<float> buffer, CancellationToken ct)
        {
            var n = Math.Min(Math.Min(buffer.Length, chunk), samples.Length - position);
            samples.AsSpan(position, n).CopyTo(buffer.Span);
            position += n;
            return ValueTask.FromResult(n);
        }

        var summary = await new AudioFeatureExtractor().ExtractAsync(Read, fpsNumerator, fpsDenominator, folder, ct: TestContext.Current.CancellationToken);
        return Load(summary, folder);
    }

    public static FeatureRun Load(FeatureSummary summary, string folder)
    {
        T[] Read<T>(string name)
            where T : unmanaged => NpyReader.Load<T>(Path.Combine(folder, summary.Files[name])).Data;

        return new FeatureRun(
            summary,
            folder,
            Read<float>(FeatureFileNames.Mel80),
            Read<float>(FeatureFileNames.Wav2LipMel),
            Read<float>(FeatureFileNames.Mfcc),
            Read<float>(FeatureFileNames.Energy),
            Read<float>(FeatureFileNames.F0),
            Read<float>(FeatureFileNames.Voicing),
            Read<byte>(FeatureFileNames.Vad));
    }

    public IEnumerable<float> AllFloats => Mel80.Concat(Wav2Lip).Concat(Mfcc).Concat(Energy).Concat(F0).Concat(Voicing);
}
