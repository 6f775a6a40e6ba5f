namespace Pipeline.Motion.Evaluation;

/// <summary>
/// The landmark-level quality of one series (ours, a baseline, the real video re-tracked) against the real
/// faces. Property names serialise with a snake_case policy to m_lmd, f_lmd, lvd, sync_lag, sync_conf, open_r.
/// </summary>
/// <param name="MLmd">Mouth landmark distance, % of inter-ocular distance (<see cref="LandmarkMetrics.MouthLmd"/>); lower is better.</param>
/// <param name="FLmd">Whole-face landmark distance, % of inter-ocular distance; lower is better.</param>
/// <param name="Lvd">Landmark velocity difference, % of inter-ocular distance per frame; lower is better.</param>
/// <param name="SyncLag">Frames the mouth lags behind the audio (negative: leads); 0 is best (<see cref="SyncMetrics.Measure"/>).</param>
/// <param name="SyncConf">Peak-to-median correlation of mouth opening and speech envelope; higher is better.</param>
/// <param name="OpenR">Pearson r of predicted and real mouth opening; higher is better.</param>
public sealed record EvalScores(double MLmd, double FLmd, double Lvd, double SyncLag, double SyncConf, double OpenR)
{
    /// <summary>M-LMD of the rendered video tracked again, against the real faces: what the renderer actually drew. Null when not rendered.</summary>
    public double? RetrackedMLmd { get; init; }

    /// <summary>Mean SSIM (luma) of the mouth region, rendered against real frames; higher is better.</summary>
    public double? MouthSsim { get; init; }

    /// <summary>PSNR (dB, luma) of the mouth region, rendered against real frames.</summary>
    public double? MouthPsnr { get; init; }

    /// <summary>PSNR (dB, luma) outside the lower face, rendered against real frames: codec noise only, ≥ 40 expected.</summary>
    public double? OutsidePsnr { get; init; }

    /// <summary>
    /// Scores <paramref name="predicted"/> against <paramref name="real"/> (canonical faces, 68 interleaved points
    /// per frame) on the frames where <paramref name="valid"/> is set; sync is measured between the predicted
    /// mouth opening and <paramref name="energyDbfs"/> (per-frame speech energy in dBFS).
    /// </summary>
    public static EvalScores Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> real, ReadOnlySpan<byte> valid, ReadOnlySpan<float> energyDbfs, int frames)
    {
        var (lag, confidence) = SyncMetrics.Measure(LandmarkMetrics.Opening(predicted, frames), energyDbfs, valid, frames);
        return new EvalScores(
            LandmarkMetrics.MouthLmd(predicted, real, valid, frames),
            LandmarkMetrics.FaceLmd(predicted, real, valid, frames),
            LandmarkMetrics.Lvd(predicted, real, valid, frames),
            lag,
            confidence,
            LandmarkMetrics.OpeningCorrelation(predicted, real, valid, frames));
    }

    /// <summary>
    /// Field-by-field mean over clips, each field over the clips where it is defined (finite): one clip
    /// without a valid frame pair should not turn the whole summary into NaN. NaN where no clip defines it.
    /// </summary>
    public static EvalScores Mean(IEnumerable<EvalScores> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        Span<double> sums = stackalloc double[10];
        Span<int> counts = stackalloc int[10];
        foreach (var s in scores)
        {
            Add(sums, counts, 6, s.RetrackedMLmd ?? double.NaN);
            Add(sums, counts, 7, s.MouthSsim ?? double.NaN);
            Add(sums, counts, 8, s.MouthPsnr ?? double.NaN);
            Add(sums, counts, 9, s.OutsidePsnr ?? double.NaN);
            Add(sums, counts, 0, s.MLmd);
            Add(sums, counts, 1, s.FLmd);
            Add(sums, counts, 2, s.Lvd);
            Add(sums, counts, 3, s.SyncLag);
            Add(sums, counts, 4, s.SyncConf);
            Add(sums, counts, 5, s.OpenR);
        }

        return new EvalScores(
            Average(sums, counts, 0),
            Average(sums, counts, 1),
            Average(sums, counts, 2),
            Average(sums, counts, 3),
            Average(sums, counts, 4),
            Average(sums, counts, 5))
        {
            RetrackedMLmd = counts[6] == 0 ? null : Average(sums, counts, 6),
            MouthSsim = counts[7] == 0 ? null : Average(sums, counts, 7),
            MouthPsnr = counts[8] == 0 ? null : Average(sums, counts, 8),
            OutsidePsnr = counts[9] == 0 ? null : Average(sums, counts, 9),
        };
    }

    private static void Add(Span<double> sums, Span<int> counts, int field, double value)
    {
        if (double.IsFinite(value))
        {
            sums[field] += value;
            counts[field]++;
        }
    }

    private static double Average(ReadOnlySpan<double> sums, ReadOnlySpan<int> counts, int field) =>
        counts[field] == 0 ? double.NaN : sums[field] / counts[field];
}
