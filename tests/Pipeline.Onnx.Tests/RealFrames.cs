using Pipeline.Features;
using Pipeline.Media;
using Pipeline.TestSupport;

namespace Pipeline.Onnx.Tests;

/// <summary>
/// Two seconds of a real speaker (testdata vox_00086, 256×256 at 25 fps), tracked by <c>./pipeline track</c>, and its
/// frames decoded exactly as the renderer decodes them.
/// </summary>
public sealed class RealFrames
{
    public const int Frames = 50;

    private RealFrames(string clip, float[] landmarks, byte[] present, List<byte[]> frames, int width, int height)
        => (Clip, Landmarks, Present, Decoded, Width, Height) = (clip, landmarks, present, frames, width, height);

    public string Clip { get; }

    /// <summary>[frames, 136] pixels (NaN where no face).</summary>
    public float[] Landmarks { get; }

    public byte[] Present { get; }

    public IReadOnlyList<byte[]> Decoded { get; }

    public int Width { get; }

    public int Height { get; }

    public static FfmpegRunner Runner { get; } = new(new MediaToolOptions { ProcessTimeout = TimeSpan.FromSeconds(120) });

    public static MediaProber Prober { get; } = new(Runner);

    public static async Task<RealFrames> LoadAsync(ScratchDirectory scratch)
    {
        var clip = scratch.File("clip.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00086.mp4"), "-t", "2", "-vf", "scale=256:256,setsar=1,fps=25", "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", "-c:a", "aac", clip);
        var track = scratch.File("track");
        var result = await PipelineCli.RunAsync(scratch.File("home"), ["track", "--video", clip, "--out", track, "--no-overlay", "--json"]);
        Assert.True(result.ExitCode == 0, $"track: exit {result.ExitCode}: {result.Stderr}");
        var (landmarks, _) = NpyReader.Load<float>(Path.Combine(track, "landmarks.npy"));
        var (present, _) = NpyReader.Load<byte>(Path.Combine(track, "present.npy"));

        var frames = new List<byte[]>();
        var rate = (await Prober.ProbeAsync(clip)).Video!.ClockRate;
        await using var reader = await VideoFrameReader.OpenAsync(Prober, Runner, clip, VideoDecodeOptions.ForFrames(rate, 0, Frames, exactColour: true));
        for (var buffer = new byte[reader.FrameBytes]; await reader.ReadFrameAsync(buffer); buffer = new byte[reader.FrameBytes])
        {
            frames.Add(buffer);
        }

        Assert.Equal(Frames, frames.Count);
        Assert.True(present.Take(Frames).Count(p => p != 0) >= 45, "the speaker is tracked in nearly every frame");
        return new RealFrames(clip, landmarks, present, frames, reader.Width, reader.Height);
    }

    /// <summary>The box around the lower-face outline the backend may draw in (jaw 2-14, nose base 31-35), inclusive.</summary>
    public (int Left, int Top, int Right, int Bottom) LowerFaceBox(int frame) => Box(frame, [.. Enumerable.Range(2, 13), .. Enumerable.Range(31, 5)], 1);

    /// <summary>The lips' box.</summary>
    public (int Left, int Top, int Right, int Bottom) MouthBox(int frame) => Box(frame, [.. Enumerable.Range(48, 20)], 0);

    private (int, int, int, int) Box(int frame, int[] points, int grow)
    {
        var face = Landmarks.AsSpan(frame * 136, 136).ToArray();
        var xs = points.Select(p => face[2 * p]).ToList();
        var ys = points.Select(p => face[(2 * p) + 1]).ToList();
        return ((int)MathF.Floor(xs.Min()) - grow, (int)MathF.Floor(ys.Min()) - grow, (int)MathF.Ceiling(xs.Max()) + grow, (int)MathF.Ceiling(ys.Max()) + grow);
    }

    /// <summary>Mean absolute difference of two rgb24 frames inside (or outside) a box.</summary>
    public double MeanDifference(byte[] a, byte[] b, (int Left, int Top, int Right, int Bottom) box, bool inside)
    {
        double sum = 0;
        long count = 0;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var within = x >= box.Left && x <= box.Right && y >= box.Top && y <= box.Bottom;
                if (within != inside)
                {
                    continue;
                }

                for (var c = 0; c < 3; c++)
                {
                    var p = (((y * Width) + x) * 3) + c;
                    sum += Math.Abs(a[p] - b[p]);
                    count++;
                }
            }
        }

        return count == 0 ? 0 : sum / count;
    }
}
