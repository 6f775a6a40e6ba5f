using System.Text.Json;
using Pipeline.Features;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>
/// `./pipeline animate` on every portrait in testdata: the video is tracked again, and its lips must follow the
/// speech's energy, its eyes must blink and its head must move.
/// </summary>
public sealed class AnimateTests(ITestOutputHelper log) : IDisposable
{
    private const int Fps = 25;
    private const double Seconds = 8;

    private readonly ScratchDirectory _scratch = new("animate");

    public void Dispose() => _scratch.Dispose();

    public static TheoryData<string> Photos() => new(TestData.RequireAll("image").Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Photos))]
    public async Task A_photo_speaks_blinks_and_moves(string photo)
    {
        var audio = _scratch.File("speech.wav");
        Ffmpeg.Run("-i", TestData.Require("audio/en_radio31.wav"), "-t", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), audio);
        var output = _scratch.File("out.mp4");
        var home = _scratch.File("home");

        var result = await PipelineCli.RunAsync(home, ["animate", "--image", TestData.Require($"image/{photo}"), "--audio", audio, "--out", output, "--json"]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        var frames = json.GetProperty("render").GetProperty("frames").GetInt64();
        Assert.InRange(frames, (Seconds * Fps) - 1, (Seconds * Fps) + 1);
        Assert.Equal(frames, json.GetProperty("render").GetProperty("faces_drawn").GetInt64());

        var track = _scratch.File("track");
        var tracked = await PipelineCli.RunAsync(home, ["track", "--video", output, "--out", track, "--no-overlay", "--json"]);
        Assert.True(tracked.ExitCode == 0, $"exit {tracked.ExitCode}: {tracked.Stderr}");
        var (landmarks, _) = NpyReader.Load<float>(Path.Combine(track, "landmarks.npy"));

        // Blinks are read from the unsmoothed points: the tracker's smoothing holds the eyes steady on purpose.
        var (raw, _) = NpyReader.Load<float>(Path.Combine(track, "landmarks_raw.npy"));
        var (present, _) = NpyReader.Load<byte>(Path.Combine(track, "present.npy"));
        var n = (int)Math.Min(present.Length, frames);
        Assert.True(present.Take(n).Count(p => p != 0) >= 0.95 * n, $"the face is found in {present.Take(n).Count(p => p != 0)} of {n} frames");

        var envelope = Envelope(audio, n);
        var opening = new double[n];
        var eyes = new double[n];
        var bridgeX = new double[n];
        var bridgeY = new double[n];
        for (var i = 0; i < n; i++)
        {
            var f = landmarks.AsSpan(i * 136, 136);
            var interOcular = Distance(f, 36, 45);
            opening[i] = (Distance(f, 61, 67) + Distance(f, 62, 66) + Distance(f, 63, 65)) / 3 / interOcular;
            var e = raw.AsSpan(i * 136, 136);
            eyes[i] = (Distance(e, 37, 41) + Distance(e, 38, 40) + Distance(e, 43, 47) + Distance(e, 44, 46)) / 4 / Distance(e, 36, 45);
            (bridgeX[i], bridgeY[i]) = (f[2 * 27] / interOcular, f[(2 * 27) + 1] / interOcular);
        }

        var r = Pearson(opening, envelope);
        var median = eyes.Order().ElementAt(n / 2);
        var closed = eyes.Count(e => e < 0.6 * median);
        var (predicted, _) = NpyReader.Load<float>(Path.Combine(home, "store", json.GetProperty("motion").GetProperty("artifact").GetString()!));
        var (blink, still) = BlinkChange(output, predicted, n);
        var sway = Math.Sqrt(Variance(bridgeX) + Variance(bridgeY));
        log.WriteLine($"{photo}: r {r:F3}, lids closed in {closed} frames (least {eyes.Min() / median:F2} of median), eyes at the deepest blink change {blink:F1} levels against {still:F1} with the eyes open, head sway {sway:F4} inter-ocular");
        Assert.True(r >= 0.5, $"{photo}: mouth opening against speech energy r = {r:F3}");

        // dlib's lids follow a drawn blink on some faces and not on others (small faces, heavy brows), so the pixels are
        // checked too: at the deepest predicted blink the eyes must change far more than over the same time with them open.
        Assert.True(closed >= 2 || (blink > 2 * still && blink > 4), $"{photo}: no blink: lids below 60% of their median in {closed} frames; eyes change {blink:F1} levels at the blink, {still:F1} open");

        Assert.True(sway >= 0.01, $"{photo}: the nose bridge moves {sway:F4} inter-ocular distances (SD): the head must move");
    }

    // The speech envelope as the sync metric reads it (Pipeline.Motion.Evaluation.SpeechEnvelope): linear RMS amplitude per
    // video frame, from the 16 kHz mono decode, smoothed by a zero-phase [1 2 1]/4 kernel.
    private double[] Envelope(string audio, int frames)
    {
        var pcm = _scratch.File("speech.s16");
        Ffmpeg.Run("-i", audio, "-ac", "1", "-ar", "16000", "-f", "s16le", pcm);
        var bytes = File.ReadAllBytes(pcm);
        var samples = bytes.Length / 2;
        const int perFrame = 16000 / Fps;
        var amplitude = new double[frames];
        for (var i = 0; i < frames; i++)
        {
            double sum = 0;
            var count = 0;
            for (var s = i * perFrame; s < Math.Min(samples, (i + 1) * perFrame); s++)
            {
                var v = BitConverter.ToInt16(bytes, 2 * s) / 32768.0;
                sum += v * v;
                count++;
            }

            amplitude[i] = count == 0 ? 0 : Math.Sqrt(sum / count);
        }

        return Enumerable.Range(0, frames)
            .Select(i => 0.25 * (amplitude[Math.Max(0, i - 1)] + (2 * amplitude[i]) + amplitude[Math.Min(frames - 1, i + 1)]))
            .ToArray();
    }

    // Mean absolute luma change inside both eyes' boxes (from the predicted points of an open-eyed frame) between the
    // deepest predicted blink and 6 frames before it, and between that frame and 6 before it (eyes open, the head
    // moving as much): what a blink does to the pixels against what the head motion alone does.
    private (double Blink, double Still) BlinkChange(string video, float[] predicted, int frames)
    {
        var openness = Enumerable.Range(0, frames)
            .Select(i => Distance(predicted.AsSpan(i * 136, 136), 37, 41) + Distance(predicted.AsSpan(i * 136, 136), 43, 47))
            .ToArray();
        var deepest = Enumerable.Range(12, Math.Max(0, frames - 12)).MinBy(i => openness[i]);
        Assert.True(openness[deepest] < 0.3 * openness.Order().ElementAt(frames / 2), "the motion has no blink in this clip: the test needs one");

        var size = Media.Video(video);
        var rgb = _scratch.File("frames.rgb");
        Ffmpeg.Run("-i", video, "-vf", $"select='eq(n\\,{deepest})+eq(n\\,{deepest - 6})+eq(n\\,{deepest - 12})'", "-fps_mode", "passthrough", "-pix_fmt", "gray", "-f", "rawvideo", rgb);
        var bytes = File.ReadAllBytes(rgb);
        var plane = size.Width * size.Height;
        Assert.Equal(3 * plane, bytes.Length);
        var open = predicted.AsSpan((deepest - 6) * 136, 136).ToArray();
        double Change(int a, int b)
        {
            double sum = 0;
            var count = 0;
            foreach (var (first, last) in new[] { (36, 41), (42, 47) })
            {
                var xs = Enumerable.Range(first, last - first + 1).Select(p => open[2 * p]).ToArray();
                var ys = Enumerable.Range(first, last - first + 1).Select(p => open[(2 * p) + 1]).ToArray();
                for (var y = Math.Max(0, (int)ys.Min()); y <= Math.Min(size.Height - 1, (int)ys.Max()); y++)
                {
                    for (var x = Math.Max(0, (int)xs.Min()); x <= Math.Min(size.Width - 1, (int)xs.Max()); x++)
                    {
                        sum += Math.Abs(bytes[(a * plane) + (y * size.Width) + x] - bytes[(b * plane) + (y * size.Width) + x]);
                        count++;
                    }
                }
            }

            return count == 0 ? 0 : sum / count;
        }

        // Frames come out in order: 0 = deepest - 12, 1 = deepest - 6, 2 = deepest.
        return (Change(2, 1), Change(1, 0));
    }

    private static double Distance(ReadOnlySpan<float> f, int a, int b) =>
        Math.Sqrt(Math.Pow(f[2 * a] - f[2 * b], 2) + Math.Pow(f[(2 * a) + 1] - f[(2 * b) + 1], 2));

    private static double Variance(double[] x)
    {
        var mean = x.Average();
        return x.Sum(v => (v - mean) * (v - mean)) / x.Length;
    }

    private static double Pearson(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : 0;
    }
}
