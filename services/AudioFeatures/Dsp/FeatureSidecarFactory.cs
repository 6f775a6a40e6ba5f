using System.Reflection;
using Pipeline.Features;

namespace Pipeline.AudioFeatures.Dsp;

/// <summary>Writes down, for features.json, exactly what each array holds and how it was computed.</summary>
internal static class FeatureSidecarFactory
{
    /// <summary>Bump whenever a change alters any value written, so cached artifacts are recomputed.</summary>
    public const int AlgorithmVersion = 1;

    private const string Wav2LipClock = "wav2lip_mel";
    private const string AnalysisNote =
        "Values are taken from the 10 ms analysis grid (frame k centred at k/100 s, 25 ms periodic Hann window, zero padding outside the signal) by linear interpolation at the video frame centre.";

    public static FeatureSidecar Create(VideoFrameClock clock, long samples, FeatureSummary summary, long wav2LipFrames)
    {
        var frames = summary.Frames;
        var video = new FeatureClock(
            clock.Numerator,
            clock.Denominator,
            clock.Fps,
            frames,
            "row i covers [i*denominator/numerator, (i+1)*denominator/numerator) seconds",
            "values are taken at the row's centre, (i+0.5)*denominator/numerator seconds",
            "frames = floor(samples*numerator/(sample_rate*denominator) + 1/2): a row exists when its centre is inside the audio");
        var mel = new FeatureClock(
            Wav2LipMel.FramesPerSecond,
            1,
            Wav2LipMel.FramesPerSecond,
            wav2LipFrames,
            "row j is the STFT frame centred at sample j*200, i.e. j/80 seconds (librosa center=True, reflect padding)",
            "centre of a 800-sample (50 ms) window",
            "frames = 1 + samples // 200 (0 for empty audio); for video frame i, Wav2Lip's 16-row window starts at int(i*80/fps)");

        var files = new Dictionary<string, FeatureFile>(StringComparer.Ordinal)
        {
            [FeatureFileNames.Mel80] = new(
                FeatureFileNames.FileOf(FeatureFileNames.Mel80), "float32", [frames, SpectralFrameAnalyzer.MelBands], ["frame", "mel_band"],
                FeatureSidecar.VideoClock, "natural log of mel power, ln(max(P, 1e-10)); samples in [-1, 1]",
                "80-band log-mel spectrogram, band 0 lowest. " + AnalysisNote,
                new Dictionary<string, object>
                {
                    ["sample_rate"] = SpectralFrameAnalyzer.SampleRate,
                    ["n_fft"] = SpectralFrameAnalyzer.FftSize,
                    ["win_length"] = SpectralFrameAnalyzer.WindowLength,
                    ["hop_length"] = SpectralFrameAnalyzer.Hop,
                    ["window"] = "hann (periodic)",
                    ["power"] = 2,
                    ["n_mels"] = SpectralFrameAnalyzer.MelBands,
                    ["fmin"] = SpectralFrameAnalyzer.MelFMin,
                    ["fmax"] = SpectralFrameAnalyzer.MelFMax,
                    ["mel_scale"] = "slaney (librosa htk=False)",
                    ["mel_norm"] = "slaney",
                    ["log"] = "natural",
                    ["power_floor"] = SpectralFrameAnalyzer.PowerFloor,
                }),
            [FeatureFileNames.Wav2LipMel] = new(
                FeatureFileNames.FileOf(FeatureFileNames.Wav2LipMel), "float32", [wav2LipFrames, Wav2LipMel.Bands], ["mel_frame", "mel_band"],
                Wav2LipClock, "normalised dB in [-4, 4]",
                "Wav2Lip's audio.melspectrogram(wav).T: time-major, so Wav2Lip's mel[:, s:s+16] is this array's [s:s+16].T",
                new Dictionary<string, object>
                {
                    ["sample_rate"] = Wav2LipMel.SampleRate,
                    ["preemphasis"] = Wav2LipMel.PreEmphasis,
                    ["n_fft"] = Wav2LipMel.FftSize,
                    ["hop_length"] = Wav2LipMel.Hop,
                    ["win_length"] = Wav2LipMel.WindowLength,
                    ["window"] = "hann (periodic)",
                    ["center"] = true,
                    ["pad_mode"] = "reflect",
                    ["magnitude"] = "abs(stft), power 1",
                    ["n_mels"] = Wav2LipMel.Bands,
                    ["fmin"] = Wav2LipMel.FMin,
                    ["fmax"] = Wav2LipMel.FMax,
                    ["mel_scale"] = "slaney (librosa htk=False)",
                    ["mel_norm"] = "slaney",
                    ["ref_level_db"] = Wav2LipMel.RefLevelDb,
                    ["min_level_db"] = Wav2LipMel.MinLevelDb,
                    ["max_abs_value"] = Wav2LipMel.MaxAbsValue,
                    ["formula"] = "S = 20*log10(max(1e-5, mel)) - 20; clip(8*((S + 100)/100) - 4, -4, 4)",
                }),
            [FeatureFileNames.Mfcc] = new(
                FeatureFileNames.FileOf(FeatureFileNames.Mfcc), "float32", [frames, 3 * SpectralFrameAnalyzer.MfccCount], ["frame", "coefficient"],
                FeatureSidecar.VideoClock, "columns 0-12: MFCC c0..c12 (c0 included); 13-25: delta; 26-38: delta-delta (per 10 ms analysis frame)",
                "MFCC = DCT-II (orthonormal) of the 40-band natural-log mel power; deltas are regressions over +-2 analysis frames, edges repeated. " + AnalysisNote,
                new Dictionary<string, object>
                {
                    ["n_mfcc"] = SpectralFrameAnalyzer.MfccCount,
                    ["n_mels"] = SpectralFrameAnalyzer.MfccBands,
                    ["fmin"] = SpectralFrameAnalyzer.MfccFMin,
                    ["fmax"] = SpectralFrameAnalyzer.MfccFMax,
                    ["n_fft"] = SpectralFrameAnalyzer.FftSize,
                    ["win_length"] = SpectralFrameAnalyzer.WindowLength,
                    ["hop_length"] = SpectralFrameAnalyzer.Hop,
                    ["dct"] = "type 2, norm ortho",
                    ["delta_width"] = 2,
                    ["delta_formula"] = "d[t] = sum_{n=1..2} n*(c[t+n]-c[t-n]) / 10",
                }),
            [FeatureFileNames.Energy] = new(
                FeatureFileNames.FileOf(FeatureFileNames.Energy), "float32", [frames], ["frame"],
                FeatureSidecar.VideoClock, "dBFS: 10*log10(mean square), full scale = 1.0 (a full-scale sine reads -3.01), floored at -120",
                "RMS level of the 25 ms rectangular window; the mean square is interpolated before the dB conversion. " + AnalysisNote,
                new Dictionary<string, object> { ["win_length"] = SpectralFrameAnalyzer.WindowLength, ["floor_dbfs"] = -120 }),
            [FeatureFileNames.F0] = new(
                FeatureFileNames.FileOf(FeatureFileNames.F0), "float32", [frames], ["frame"],
                FeatureSidecar.VideoClock, "Hz; 0 = unvoiced",
                "YIN fundamental frequency with parabolic interpolation. Interpolated only between two voiced analysis frames; otherwise the nearer analysis frame's value.",
                new Dictionary<string, object>
                {
                    ["method"] = "yin",
                    ["fmin"] = YinPitch.MinF0,
                    ["fmax"] = YinPitch.MaxF0,
                    ["integration_window"] = YinPitch.IntegrationWindow,
                    ["threshold"] = YinPitch.Threshold,
                    ["voiced_if_aperiodicity_below"] = YinPitch.VoicedAperiodicity,
                    ["voiced_min_dbfs"] = YinPitch.MinVoicedDbfs,
                }),
            [FeatureFileNames.Voicing] = new(
                FeatureFileNames.FileOf(FeatureFileNames.Voicing), "float32", [frames], ["frame"],
                FeatureSidecar.VideoClock, "0..1",
                "Voicing confidence: 1 - YIN's cumulative-mean-normalised difference at the chosen period, clipped to [0, 1]. " + AnalysisNote,
                new Dictionary<string, object>()),
            [FeatureFileNames.Vad] = new(
                FeatureFileNames.FileOf(FeatureFileNames.Vad), "uint8", [frames], ["frame"],
                FeatureSidecar.VideoClock, "1 = speech, 0 = non-speech",
                "Voice activity: per 10 ms frame, energy above an adaptive noise floor (or voiced with a smaller margin, or strongly voiced above -50 dBFS) and above an absolute minimum and within 30 dB of the speech level (loudest nearby frame, decaying 2 dB/s); runs shorter than 30 ms dropped; gaps up to 150 ms inside speech filled; 10 ms hangover. A video frame is active when most analysis frames inside it are (ties: the one nearest its centre).",
                new Dictionary<string, object>
                {
                    ["on_margin_db"] = VoiceActivityDetector.OnMarginDb,
                    ["voiced_margin_db"] = VoiceActivityDetector.VoicedMarginDb,
                    ["voiced_confidence"] = VoiceActivityDetector.VoicedConfidence,
                    ["absolute_min_dbfs"] = VoiceActivityDetector.AbsoluteMinDbfs,
                    ["below_speech_level_db"] = VoiceActivityDetector.BelowLevelDb,
                    ["speech_level_decay_db_per_s"] = VoiceActivityDetector.LevelDecayDbPerFrame * VideoFrameClock.AnalysisRate,
                    ["strongly_voiced_confidence"] = VoiceActivityDetector.StronglyVoicedConfidence,
                    ["strongly_voiced_min_dbfs"] = VoiceActivityDetector.StronglyVoicedMinDbfs,
                    ["floor_rise_db_per_s"] = VoiceActivityDetector.FloorRiseDbPerFrame * VideoFrameClock.AnalysisRate,
                    ["min_run_ms"] = VoiceActivityDetector.MinRunFrames * 10,
                    ["pre_roll_ms"] = VoiceActivityDetector.PreRollFrames * 10,
                    ["hangover_ms"] = VoiceActivityDetector.HangoverFrames * 10,
                    ["bridge_gaps_up_to_ms"] = VoiceActivityDetector.BridgeFrames * 10,
                    ["look_ahead_ms"] = VoiceActivityDetector.LookAheadFrames * 10,
                }),
        };

        var assembly = typeof(AudioFeatureExtractor).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "0";
        return new FeatureSidecar(
            FeatureSidecar.FormatName,
            FeatureSidecar.CurrentSchemaVersion,
            new FeatureLibrary(assembly.GetName().Name ?? "Pipeline.AudioFeatures", version, AlgorithmVersion),
            new FeatureSource(SpectralFrameAnalyzer.SampleRate, 1, samples, (double)samples / SpectralFrameAnalyzer.SampleRate),
            new Dictionary<string, FeatureClock>(StringComparer.Ordinal) { [FeatureSidecar.VideoClock] = video, [Wav2LipClock] = mel },
            files,
            new FeatureCounts(frames, summary.VoicedFrames, summary.ActiveFrames),
            [
                "Load with numpy: np.load(os.path.join(folder, files[name]['file'])). All arrays are C-order, little-endian.",
                "Rows of arrays on the 'video' clock line up one-to-one with the target video's frames.",
                "features.json is written after every array is complete.",
            ]);
    }
}
