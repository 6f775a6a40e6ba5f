using System.Buffers;
using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Prediction;

/// <summary>
/// The fallback mouth model, with no training on the person: per frame the viseme posteriors blend 15 key poses
/// (<see cref="KeyPoses"/>), coarticulation smooths the parameter tracks, and the result deforms the target's
/// neutral mouth. Used when the target has too little speech for <see cref="DubMouthModel"/>, and in
/// single-image (animate) mode.
/// </summary>
/// <remarks>
/// Coarticulation, in the spirit of Text2Video's key-pose interpolation: rather than snapping to one pose per
/// phone and interpolating, the posterior-weighted parameter tracks are smoothed with a zero-phase exponential
/// of time constant <see cref="CoarticulationSeconds"/> (60 ms, about half a syllable), so each pose bleeds into
/// its neighbours both ways (anticipation and carry-over). Bilabial closure cannot be averaged away like that:
/// a /p b m/ whose lips do not meet reads as wrong at once. So closure has its own track that (1) is dilated by
/// a max over ±1 frame at 25 fps (±40 ms; more frames at higher rates) before smoothing, so even a one-frame
/// PP keeps its full weight through the smoother, and (2) never falls below the frame's own closure. Closure also
/// takes precedence over the opening parameters: jaw drop is reduced and lip opening cancelled in proportion.
/// </remarks>
public sealed class GenericMouthModel
{
    /// <summary>Time constant of the coarticulation smoother.</summary>
    public const double CoarticulationSeconds = 0.06;

    private const int Dim = SpeechPoints.FloatCount;
    private const int Tracks = MouthPose.ContinuousCount;

    /// <summary>Width of the canonical mouth (corner 48 to corner 54), the size the key poses are written for.</summary>
    private const float CanonicalMouthWidth = 0.639204f;

    // Key poses, in the content encoder's viseme order (Pipeline.Encoding.Content.Visemes: sil, PP, FF, TH, DD,
    // kk, CH, SS, nn, RR, aa, E, I, O, U). Values are hand-set from the usual articulatory descriptions of the
    // Oculus/Preston Blair viseme charts, in IOD for a ~0.64 IOD-wide mouth (IOD ≈ 9 cm, so 0.1 ≈ 9 mm), then
    // checked against the 11 talking clips of shared/testdata (PocketSphinx visemes, tracked faces): the predicted
    // inner-lip gap has the real one's mean (+0.001 IOD) and spread (ratio 1.03); the widths were 0.7× the first
    // guess, which had 1.4× the real spread of mouth width.
    private static readonly MouthPose[] Poses =
    [
        //  jaw     open    width   round   upper  closure
        new(0.000f, 0.000f, 0.000f, 0.000f, 0.000f, 0.0f), // sil: the neutral mouth itself
        new(0.020f, 0.000f, 0.000f, 0.000f, 0.000f, 1.0f), // PP  p b m: lips sealed
        new(0.030f, 0.000f, 0.007f, 0.000f, 0.020f, 0.6f), // FF  f v: lower lip up to the upper teeth
        new(0.050f, 0.020f, 0.007f, 0.000f, 0.010f, 0.0f), // TH  tongue between the teeth
        new(0.050f, 0.015f, 0.010f, 0.000f, 0.005f, 0.0f), // DD  t d
        new(0.070f, 0.020f, 0.007f, 0.000f, 0.000f, 0.0f), // kk  k g
        new(0.040f, 0.015f, -0.021f, 0.040f, 0.015f, 0.0f), // CH  ch jh sh: protruded
        new(0.020f, 0.010f, 0.018f, 0.000f, 0.010f, 0.0f), // SS  s z: teeth close, lips spread
        new(0.050f, 0.010f, 0.007f, 0.000f, 0.000f, 0.0f), // nn  n ng l
        new(0.040f, 0.015f, -0.018f, 0.035f, 0.000f, 0.0f), // RR  r: slightly rounded
        new(0.150f, 0.060f, 0.014f, 0.000f, 0.010f, 0.0f), // aa  open vowels
        new(0.090f, 0.040f, 0.025f, 0.000f, 0.010f, 0.0f), // E   mid vowels
        new(0.050f, 0.030f, 0.032f, 0.000f, 0.010f, 0.0f), // I   ih iy: spread
        new(0.110f, 0.040f, -0.028f, 0.050f, 0.000f, 0.0f), // O   mid back rounded
        new(0.050f, 0.015f, -0.042f, 0.070f, 0.000f, 0.0f), // U   close back rounded, w
    ];

    // Per-slot displacement profiles (slot = position in SpeechPoints.Indices), built once.
    private static readonly float[] JawProfile = Profile(
        (4, 0.15f), (5, 0.45f), (6, 0.75f), (7, 0.92f), (8, 1f), (9, 0.92f), (10, 0.75f), (11, 0.45f), (12, 0.15f),
        (48, 0.35f), (54, 0.35f), (60, 0.4f), (64, 0.4f),
        (55, 0.7f), (56, 0.95f), (57, 1f), (58, 0.95f), (59, 0.7f), (65, 0.95f), (66, 1f), (67, 0.95f));

    private static readonly float[] OpeningProfile = Profile(
        (55, 0.6f), (56, 0.9f), (57, 1f), (58, 0.9f), (59, 0.6f), (65, 0.9f), (66, 1f), (67, 0.9f));

    private static readonly float[] UpperLipProfile = Profile(
        (49, 0.6f), (50, 0.9f), (51, 1f), (52, 0.9f), (53, 0.6f), (61, 0.9f), (62, 1f), (63, 0.9f));

    // Rounding: negative = up. The opening grows taller at the centre; the outer contour follows.
    private static readonly float[] RoundingVerticalProfile = Profile(
        (49, -0.15f), (50, -0.25f), (51, -0.25f), (52, -0.25f), (53, -0.15f), (61, -0.2f), (62, -0.2f), (63, -0.2f),
        (55, 0.2f), (56, 0.3f), (57, 0.3f), (58, 0.3f), (59, 0.2f), (65, 0.3f), (66, 0.3f), (67, 0.3f));

    /// <summary>Corner travel inwards per unit of rounding (on top of the pose's own width change).</summary>
    private const float RoundingNarrowing = 0.45f;

    // Inner lip pairs (upper, lower) and the outer points that follow each when the lips close.
    private static readonly (int Upper, int Lower, int OuterUpper, int OuterLower, int SideUpper, int SideLower)[] ClosurePairs =
    [
        (61, 67, 50, 58, 49, 59),
        (62, 66, 51, 57, -1, -1),
        (63, 65, 52, 56, 53, 55),
    ];

    /// <summary>Share of a closure's travel made by the upper lip; the lower lip (on the jaw) does the rest.</summary>
    private const float UpperClosureShare = 0.3f;

    private readonly float[] _neutral;
    private readonly float[] _lateral; // per slot: (x − mouth centre) / half mouth width, lips only
    private readonly float _scale;

    public GenericMouthModel(ReadOnlySpan<float> targetNeutral58)
    {
        if (targetNeutral58.Length < Dim)
        {
            throw new ArgumentException($"the neutral mouth needs {Dim} floats, got {targetNeutral58.Length}", nameof(targetNeutral58));
        }

        foreach (var v in targetNeutral58[..Dim])
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException("the neutral mouth has non-finite coordinates", nameof(targetNeutral58));
            }
        }

        _neutral = targetNeutral58[..Dim].ToArray();
        var corner48 = SpeechPoints.Slot(Landmarks68.MouthRight);
        var corner54 = SpeechPoints.Slot(Landmarks68.MouthLeft);
        var cx = 0.5f * (_neutral[2 * corner48] + _neutral[2 * corner54]);
        var halfWidth = 0.5f * MathF.Abs(_neutral[2 * corner54] - _neutral[2 * corner48]);
        if (!(halfWidth > 1e-3f))
        {
            throw new ArgumentException("the neutral mouth has no width (corners 48 and 54 coincide)", nameof(targetNeutral58));
        }

        // A target with a wider or narrower mouth than average moves proportionally more or less; the clamp
        // keeps a badly tracked neutral from producing grotesque motion.
        _scale = Math.Clamp(2 * halfWidth / CanonicalMouthWidth, 0.6f, 1.6f);
        _lateral = new float[SpeechPoints.Count];
        for (var s = 0; s < SpeechPoints.Count; s++)
        {
            _lateral[s] = SpeechPoints.Indices[s] >= 48 ? (_neutral[2 * s] - cx) / halfWidth : 0f;
        }
    }

    /// <summary>The key pose of each viseme, in viseme column order.</summary>
    public static IReadOnlyList<MouthPose> KeyPoses { get; } = Array.AsReadOnly(Poses);

    public const int VisemeCount = 15;

    public ReadOnlySpan<float> Neutral => _neutral;

    /// <summary>
    /// Mouth shapes for <paramref name="n"/> consecutive frames of viseme posteriors ([n, 15], rows need not
    /// sum to 1; a row of zeros counts as silence) into <paramref name="shapes58Out"/> ([n, 58]).
    /// </summary>
    public void Predict(ReadOnlySpan<float> visemes, int n, double fps, Span<float> shapes58Out)
    {
        if (shapes58Out.Length < (long)n * Dim)
        {
            throw new ArgumentException($"{n} frames need room for {(long)n * Dim} shape floats", nameof(shapes58Out));
        }

        var poses = new MouthPose[Math.Max(0, n)];
        PosesFor(visemes, n, fps, poses);
        for (var t = 0; t < n; t++)
        {
            Deform(poses[t], shapes58Out.Slice(t * Dim, Dim));
        }
    }

    /// <summary>
    /// The articulatory pose of each frame (before scaling to the target): what <see cref="Predict"/> deforms
    /// the neutral mouth by. The person-specific model reads these as a compact description of what is said.
    /// </summary>
    public static void PosesFor(ReadOnlySpan<float> visemes, int n, double fps, Span<MouthPose> posesOut)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!(fps > 0) || !double.IsFinite(fps))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "the frame rate must be positive");
        }

        if (visemes.Length < (long)n * VisemeCount || posesOut.Length < n)
        {
            throw new ArgumentException($"{n} frames need {(long)n * VisemeCount} viseme floats and room for {n} poses", nameof(visemes));
        }

        if (n == 0)
        {
            return;
        }

        var buffer = ArrayPool<float>.Shared.Rent(n * (Tracks + 3));
        try
        {
            var tracks = buffer.AsSpan(0, n * Tracks);
            var rawClosure = buffer.AsSpan(n * Tracks, n);
            var closure = buffer.AsSpan(n * (Tracks + 1), n);
            var scratch = buffer.AsSpan(n * (Tracks + 2), n);
            Blend(visemes, n, tracks, rawClosure);
            TemporalSmoothing.Exponential(tracks, n, Tracks, fps, CoarticulationSeconds);

            // Closure priority: dilate (max over ±reach), smooth like the rest, never below the frame's own value.
            var reach = Math.Max(1, (int)Math.Round(fps * 0.04));
            for (var t = 0; t < n; t++)
            {
                var m = 0f;
                for (var u = Math.Max(0, t - reach); u <= Math.Min(n - 1, t + reach); u++)
                {
                    m = MathF.Max(m, rawClosure[u]);
                }

                scratch[t] = m;
            }

            TemporalSmoothing.Exponential(scratch, n, 1, fps, CoarticulationSeconds);
            for (var t = 0; t < n; t++)
            {
                closure[t] = Math.Clamp(MathF.Max(scratch[t], rawClosure[t]), 0f, 1f);
            }

            for (var t = 0; t < n; t++)
            {
                var p = tracks.Slice(t * Tracks, Tracks);
                posesOut[t] = new MouthPose(p[0], p[1], p[2], p[3], p[4], closure[t]);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the neutral mouth deformed by one pose (parameters before size scaling) into <paramref name="shape58"/>.</summary>
    public void Deform(MouthPose pose, Span<float> shape58)
    {
        var c = Math.Clamp(pose.Closure, 0f, 1f);

        // Closure wins over opening: the jaw rises partly and the extra lip parting goes away.
        var jaw = _scale * pose.JawDrop * (1 - (0.6f * c));
        var open = _scale * pose.LipOpening * (1 - c);
        var width = _scale * pose.Width;
        var round = _scale * pose.Rounding;
        var upper = _scale * pose.UpperLipRaise;

        _neutral.CopyTo(shape58);
        for (var s = 0; s < SpeechPoints.Count; s++)
        {
            var lateral = _lateral[s];
            shape58[2 * s] += (width - (RoundingNarrowing * round)) * lateral;
            shape58[(2 * s) + 1] += (jaw * JawProfile[s]) + (open * OpeningProfile[s]) - (upper * UpperLipProfile[s])
                + (round * RoundingVerticalProfile[s]);
        }

        if (c <= 0)
        {
            return;
        }

        foreach (var (up, low, outerUp, outerLow, sideUp, sideLow) in ClosurePairs)
        {
            var u = SpeechPoints.Slot(up);
            var l = SpeechPoints.Slot(low);
            var gap = shape58[(2 * l) + 1] - shape58[(2 * u) + 1];
            if (!(gap > 0))
            {
                continue;
            }

            var travel = c * gap;
            var down = UpperClosureShare * travel;
            var rise = travel - down;
            shape58[(2 * u) + 1] += down;
            shape58[(2 * l) + 1] -= rise;
            shape58[(2 * SpeechPoints.Slot(outerUp)) + 1] += down;
            shape58[(2 * SpeechPoints.Slot(outerLow)) + 1] -= rise;
            if (sideUp >= 0)
            {
                shape58[(2 * SpeechPoints.Slot(sideUp)) + 1] += 0.5f * down;
                shape58[(2 * SpeechPoints.Slot(sideLow)) + 1] -= 0.5f * rise;
            }
        }
    }

    /// <summary>
    /// The target's mouth at rest, from canonical-frame faces ([n, 136]): the mean speech-point shape of the usable
    /// silent frames whose mouth is also closed (opening within the least-open 20% of all usable frames), or, when
    /// fewer than <see cref="MinRestFrames"/> silent frames are closed, of the 20% least-open usable frames
    /// (by <see cref="Landmarks68.MouthOpening"/>); the canonical face's mouth when nothing is usable.
    /// </summary>
    /// <remarks>
    /// Why not simply every silent frame: voice-activity "silence" in real footage is often a breath or the
    /// moment before a word, with the mouth open. On the 11 talking clips of shared/testdata (first 60% of each),
    /// the plain silent-frame mean had an inner-lip gap of up to 0.24 IOD (median 0.05) and made the generic
    /// model's held-out mouth error (M-LMD) 6.37% IOD on average; requiring the silent frames to be closed too
    /// brought it to 5.18%, with a gap of at most 0.04.
    /// </remarks>
    public static float[] NeutralFrom(ReadOnlySpan<float> shapes136, ReadOnlySpan<byte> usable, ReadOnlySpan<byte> silent, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (shapes136.Length < (long)n * Landmarks68.FloatCount || usable.Length < n || silent.Length < n)
        {
            throw new ArgumentException($"{n} frames need {(long)n * Landmarks68.FloatCount} shape floats and {n} usable and silent flags", nameof(shapes136));
        }

        var frames = new List<int>();
        var openings = new List<float>();
        for (var i = 0; i < n; i++)
        {
            if (usable[i] != 0 && Finite(Face(shapes136, i)))
            {
                frames.Add(i);
                openings.Add(Landmarks68.MouthOpening(Face(shapes136, i)));
            }
        }

        if (frames.Count == 0)
        {
            return SpeechPoints.Canonical();
        }

        var byOpening = frames.ToArray();
        var sortedOpenings = openings.ToArray();
        Array.Sort(sortedOpenings, byOpening);
        var closedCount = Math.Max(1, (int)Math.Ceiling(ClosedFraction * byOpening.Length));
        var closedAtMost = sortedOpenings[closedCount - 1];

        var rest = new List<int>();
        for (var j = 0; j < frames.Count; j++)
        {
            if (silent[frames[j]] != 0 && openings[j] <= closedAtMost)
            {
                rest.Add(frames[j]);
            }
        }

        if (rest.Count < MinRestFrames)
        {
            rest = [.. byOpening.AsSpan(0, closedCount)];
        }

        var sum = new double[Dim];
        Span<float> speech = stackalloc float[Dim];
        foreach (var i in rest)
        {
            SpeechPoints.Gather(Face(shapes136, i), speech);
            for (var j = 0; j < Dim; j++)
            {
                sum[j] += speech[j];
            }
        }

        var result = new float[Dim];
        for (var j = 0; j < Dim; j++)
        {
            result[j] = (float)(sum[j] / rest.Count);
        }

        return result;
    }

    /// <summary>Share of the usable frames, least open first, that count as a closed mouth.</summary>
    private const double ClosedFraction = 0.2;

    /// <summary>Fewest silent closed frames worth averaging; fewer and a stray frame would set the neutral.</summary>
    private const int MinRestFrames = 3;

    /// <summary>Posterior-weighted key-pose parameters per frame (and the closure share).</summary>
    private static void Blend(ReadOnlySpan<float> visemes, int n, Span<float> tracks, Span<float> closure)
    {
        for (var t = 0; t < n; t++)
        {
            var row = visemes.Slice(t * VisemeCount, VisemeCount);
            var total = 0f;
            foreach (var v in row)
            {
                total += float.IsFinite(v) && v > 0 ? v : 0;
            }

            var p = tracks.Slice(t * Tracks, Tracks);
            p.Clear();
            closure[t] = 0;
            if (!(total > 0))
            {
                continue; // nothing recognised: the silence pose, which is all zeros
            }

            for (var v = 0; v < VisemeCount; v++)
            {
                var w = row[v];
                if (!(float.IsFinite(w) && w > 0))
                {
                    continue;
                }

                w /= total;
                var pose = Poses[v];
                p[0] += w * pose.JawDrop;
                p[1] += w * pose.LipOpening;
                p[2] += w * pose.Width;
                p[3] += w * pose.Rounding;
                p[4] += w * pose.UpperLipRaise;
                closure[t] += w * pose.Closure;
            }
        }
    }

    private static ReadOnlySpan<float> Face(ReadOnlySpan<float> shapes136, int frame) =>
        shapes136.Slice(frame * Landmarks68.FloatCount, Landmarks68.FloatCount);

    private static bool Finite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private static float[] Profile(params (int Landmark, float Weight)[] entries)
    {
        var result = new float[SpeechPoints.Count];
        foreach (var (landmark, weight) in entries)
        {
            result[SpeechPoints.Slot(landmark)] = weight;
        }

        return result;
    }
}
