using System.Text.Json;
using Pipeline.Features;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>
/// `./pipeline animate` on every portrait in testdata: the video is tracked again, and its lips must follow the
/// speech's energy, its eyes must blink and its head must move.
/// </summary>
public sealed class AnimateTests : IDisposable
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
        var (present, _) = NpyReader.Load<byte>(Path.Combine(track, "present.npy"));
        var n = (int)Math.Min(present.Length, frames);
        Assert.True(present.Take(n).Count(p => p != 0) >= 0.95 * n, $"the face is found in {present.Take(n).Count(p => p != 0)} of {n} frames");

        var energy = EnergyDb(audio, n);
        var opening = new double[n];
        var eyes = new double[n];
        var bridgeX = new double[n];
        var bridgeY = new double[n];
        for (var i = 0; i < n; i++)
        {
            var f = landmarks.AsSpan(i * 136, 136);
            var interOcular = Distance(f, 36, 45);
            opening[i] = (Distance(f, 61, 67) + Distance(f, 62, 66) + Distance(f, 63, 65)) / 3 / interOcular;
            eyes[i] = (Distance(f, 37, 41) + Distance(f, 38, 40) + Distance(f, 43, 47) + Distance(f, 44, 46)) / 4 / interOcular;
            (bridgeX[i], bridgeY[i]) = (f[2 * 27] / interOcular, f[(2 * 27) + 1] / interOcular);
        }

        var r = Pearson(opening, energy);
        Assert.True(r >= 0.5, $"{photo}: mouth opening against speech energy r = {r:F3}");

        var median = eyes.Order().ElementAt(n / 2);
        var closed = eyes.Count(e => e < 0.6 * median);
        Assert.True(closed >= 2, $"{photo}: eyes below 60% of their median opening in {closed} frames (median {median:F3}, least {eyes.Min():F3})");

        var sway = Math.Sqrt(Variance(bridgeX) + Variance(bridgeY));
        Assert.True(sway >= 0.01, $"{photo}: the nose bridge moves {sway:F4} inter-ocular distances (SD): the head must move");
    }

    // RMS energy per video frame in dBFS, floored at -60 (silence), from the 16 kHz mono decode of the speech.
    private string Pcm(string audio)
    {
        var raw = _scratch.File("speech.s16");
        Ffmpeg.Run("-i", audio, "-ac", "1", "-ar", "16000", "-f", "s16le", raw);
        return raw;
    }

    private double[] EnergyDb(string audio, int frames)
    {
        var bytes = File.ReadAllBytes(Pcm(audio));
        var samples = bytes.Length / 2;
        const int perFrame = 16000 / Fps;
        var energy = new double[frames];
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

            energy[i] = count == 0 ? -60 : Math.Max(-60, 10 * Math.Log10((sum / count) + 1e-12));
        }

        return energy;
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
