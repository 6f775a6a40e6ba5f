using System.Diagnostics;
using System.Globalization;
using Pipeline.TestSupport;

namespace Pipeline.FaceTracking.Tests;

/// <summary>One decoded picture as packed rgb24 (stride 3 * Width), made by ffmpeg independently of the code under test.</summary>
internal sealed record RgbFrame(byte[] Pixels, int Width, int Height)
{
    public int Stride => 3 * Width;

    /// <summary>The first frame of a video, or an image, optionally scaled (bicubic).</summary>
    public static RgbFrame Decode(string path, int? width = null, int? height = null)
    {
        var size = Ffmpeg.Probe("-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path)
            .Trim().Split('\n')[0].Split(',');
        var w = width ?? int.Parse(size[0], CultureInfo.InvariantCulture);
        var h = height ?? int.Parse(size[1], CultureInfo.InvariantCulture);

        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     "-hide_banner", "-loglevel", "error", "-i", path, "-frames:v", "1",
                     "-vf", $"scale={w}:{h}:flags=bicubic",
                     "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
                 })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ffmpeg");
        var stderr = p.StandardError.ReadToEndAsync();
        var pixels = new byte[checked(w * h * 3)];
        p.StandardOutput.BaseStream.ReadExactly(pixels);
        p.StandardOutput.BaseStream.CopyTo(Stream.Null);
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg could not decode {path}: {stderr.Result}");
        }

        return new RgbFrame(pixels, w, h);
    }

    /// <summary>The same picture in a buffer whose rows are <paramref name="padding"/> bytes longer (as cropped or aligned frames are).</summary>
    public (byte[] Pixels, int Stride) Padded(int padding)
    {
        var stride = Stride + padding;
        var padded = new byte[stride * Height];
        Array.Fill(padded, (byte)0xA5);
        for (var y = 0; y < Height; y++)
        {
            Pixels.AsSpan(y * Stride, Stride).CopyTo(padded.AsSpan(y * stride));
        }

        return (padded, stride);
    }
}
