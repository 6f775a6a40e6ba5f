using Pipeline.FaceGeometry;
using Pipeline.Media;
using Pipeline.Rendering.Exemplars;

namespace Pipeline.Render.Exemplars;

/// <summary>
/// Builds the exemplar bank: picks frames by mouth shape from the face track alone (<see cref="ExemplarBankPlan"/>),
/// then decodes the video once, up to the last picked frame, and keeps each picked frame's mouth crop at full
/// resolution with its landmarks.
/// </summary>
public sealed class ExemplarBankBuilder(MediaProber prober, FfmpegRunner runner, ILogger<ExemplarBankBuilder> logger)
{
    /// <summary>Entries in a bank: enough for the shapes of running speech, small enough (~20 MB at 720p) to ship to every chunk.</summary>
    public const int DefaultSize = 160;

    /// <summary>Candidate frames per cluster, at the least.</summary>
    private const int MinClusterFrames = 4;

    /// <param name="landmarks">[frames, 136] the tracked faces in pixels.</param>
    /// <param name="present">[frames] 1 where a face was tracked.</param>
    /// <param name="maxSeconds">Only frames before this time are candidates.</param>
    public async Task<ExemplarBank> BuildAsync(
        string videoPath, ReadOnlyMemory<float> landmarks, ReadOnlyMemory<byte> present, double maxSeconds, int size, IProgress<double>? progress, CancellationToken ct)
    {
        const int Face = Landmarks68.FloatCount;
        var info = await prober.ProbeAsync(videoPath, ct);
        var video = info.Video ?? throw new MediaException(MediaErrorKind.NoVideoStream, $"{Path.GetFileName(info.Path)} has no video stream", info.Path);
        var rate = video.ClockRate;
        var limit = (int)Math.Min(present.Length, Math.Floor(maxSeconds * rate.Numerator / rate.Denominator));

        var candidates = new List<int>();
        var shapes = new List<float>();
        var shape = new float[ExemplarShape.Length];
        for (var f = 0; f < limit; f++)
        {
            if (present.Span[f] == 0)
            {
                continue;
            }

            ExemplarShape.OfPixels(landmarks.Span.Slice(f * Face, Face), shape);
            candidates.Add(f);
            shapes.AddRange(shape);
        }

        // At least a few frames per cluster: with fewer, most clusters would be lone frames and be dropped as glitches.
        var clusters = Math.Clamp(candidates.Count / MinClusterFrames, 1, size);
        var shapeRows = shapes.ToArray();
        var picks = ExemplarBankPlan.Choose(shapeRows, clusters);
        var chosen = picks.Select(i => candidates[i]).ToArray();
        if (chosen.Length == 0)
        {
            logger.LogInformation("exemplar bank of {Video}: no tracked face in the first {Seconds} s, the bank is empty", info.Path, maxSeconds);
            return new ExemplarBank(video.DisplayWidth, video.DisplayHeight, [], []);
        }

        // A constant-frame-rate video is read for the chosen frames only; a variable one on the job's clock, whole.
        var last = chosen[^1];
        var sparse = !video.IsVariableFrameRate;
        var decode = sparse
            ? new VideoDecodeOptions(ExactColour: true, OnlyFrames: chosen.Select(f => (long)f).ToList())
            : new VideoDecodeOptions(DurationSeconds: (last + 1.5) * rate.Denominator / rate.Numerator, ExactColour: true);
        await using var reader = await VideoFrameReader.OpenAsync(prober, runner, videoPath, decode, ct);
        var frame = new byte[reader.FrameBytes];
        var entries = new List<Exemplar>(chosen.Length);
        using var pixels = new MemoryStream();
        var next = 0;
        for (long f = 0; next < chosen.Length && await reader.ReadFrameAsync(frame, ct); f++)
        {
            if (sparse)
            {
                f = chosen[next];
            }
            else if (f != chosen[next])
            {
                continue;
            }

            var face = landmarks.Slice(chosen[next] * Face, Face).ToArray();
            var region = ExemplarCrop.Region(face, reader.Width, reader.Height);
            var crop = new byte[region.Width * region.Height * 3];
            ExemplarCrop.Copy(frame, reader.Width, region, crop);
            for (var i = 0; i < Face; i += 2)
            {
                face[i] -= region.X;
                face[i + 1] -= region.Y;
            }

            var chosenShape = shapeRows.AsSpan(picks[next] * ExemplarShape.Length, ExemplarShape.Length).ToArray();
            entries.Add(new Exemplar(f, region.X, region.Y, region.Width, region.Height, pixels.Position, face, chosenShape));
            pixels.Write(crop);
            next++;
            progress?.Report(next / (double)chosen.Length);
        }

        logger.LogInformation(
            "exemplar bank of {Video}: {Count} of {Candidates} faces, {Megabytes:0.0} MB of crops", info.Path, entries.Count, candidates.Count, pixels.Length / 1e6);
        return new ExemplarBank(reader.Width, reader.Height, entries, pixels.ToArray());
    }
}
