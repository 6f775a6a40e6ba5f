using Pipeline.Features;

namespace Pipeline.AudioFeatures.Dsp;

/// <summary>The seven .npy streams of one extraction, opened together and completed together.</summary>
internal sealed class FeatureWriters : IDisposable
{
    public FeatureWriters(string directory)
    {
        NpyWriter Open(string name, NpyDType type, params int[] row) =>
            NpyWriter.Create(Path.Combine(directory, FeatureFileNames.FileOf(name)), type, row);

        try
        {
            Mel80 = Open(FeatureFileNames.Mel80, NpyDType.Float32, SpectralFrameAnalyzer.MelBands);
            Wav2LipMel = Open(FeatureFileNames.Wav2LipMel, NpyDType.Float32, Dsp.Wav2LipMel.Bands);
            Mfcc = Open(FeatureFileNames.Mfcc, NpyDType.Float32, 3 * SpectralFrameAnalyzer.MfccCount);
            Energy = Open(FeatureFileNames.Energy, NpyDType.Float32);
            F0 = Open(FeatureFileNames.F0, NpyDType.Float32);
            Voicing = Open(FeatureFileNames.Voicing, NpyDType.Float32);
            Vad = Open(FeatureFileNames.Vad, NpyDType.UInt8);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public NpyWriter Mel80 { get; } = null!;

    public NpyWriter Wav2LipMel { get; } = null!;

    public NpyWriter Mfcc { get; } = null!;

    public NpyWriter Energy { get; } = null!;

    public NpyWriter F0 { get; } = null!;

    public NpyWriter Voicing { get; } = null!;

    public NpyWriter Vad { get; } = null!;

    private IEnumerable<NpyWriter?> All => [Mel80, Wav2LipMel, Mfcc, Energy, F0, Voicing, Vad];

    /// <summary>Patches every header with its final shape.</summary>
    public void Complete()
    {
        foreach (var writer in All)
        {
            writer?.Complete();
        }
    }

    public void Dispose()
    {
        foreach (var writer in All)
        {
            writer?.Dispose();
        }
    }
}
