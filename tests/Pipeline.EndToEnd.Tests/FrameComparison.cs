using System.Diagnostics;
using Pipeline.Features;

namespace Pipeline.EndToEnd.Tests;

/// <summary>
/// Compares a dubbed video with its source frame by frame on luma, outside a generous box around each frame's lower
/// face (taken from the job's stored motion landmarks): what the renderer must leave as it was.
/// </summary>
public static class FrameComparison
{
    /// <summary>PSNR (dB) over every pixel outside the lower-face boxes of all frames the two videos share.</summary>
    public static double OutsideLowerFacePsnr(string source, string output, string motionLandmarksPath, int width, int height)
    {
        var (landmarks, _) = NpyReader.Load<float>(motionLandmarksPath);
        double squared = 0;
        long count = 0;
        using var a = Decode(source);
        using var b = Decode(output);
        var (fa, fb) = (new byte[width * height], new byte[width * height]);
        for (var f = 0; Read(a, fa) && Read(b, fb); f++)
        {
            (int Left, int Top, int Right, int Bottom) box = f * 136 < landmarks.Length ? LowerFaceBox(landmarks.AsSpan(f * 136, 136)) : (0, 0, -1, -1);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    if (x >= box.Left && x <= box.Right && y >= box.Top && y <= box.Bottom)
                    {
                        continue;
                    }

                    var d = fa[(y * width) + x] - fb[(y * width) + x];
                    squared += d * d;
                    count++;
                }
            }
        }

        Assert.True(count > 0, "no frame compared");
        var mse = squared / count;
        return mse <= 1e-12 ? 99 : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    // The jaw, nose base and mouth, grown by 40% of the face's height: past the warp's fixed ring and its feather.
    private static (int Left, int Top, int Right, int Bottom) LowerFaceBox(ReadOnlySpan<float> face)
    {
        if (face[2 * 8] == 0 && face[(2 * 8) + 1] == 0)
        {
            return (0, 0, -1, -1); // no face in this frame: compare all of it
        }

        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (var p in Enumerable.Range(2, 13).Concat(Enumerable.Range(30, 6)).Concat(Enumerable.Range(48, 20)))
        {
            minX = Math.Min(minX, face[2 * p]);
            maxX = Math.Max(maxX, face[2 * p]);
            minY = Math.Min(minY, face[(2 * p) + 1]);
            maxY = Math.Max(maxY, face[(2 * p) + 1]);
        }

        var grow = 0.4f * Math.Abs(face[(2 * 8) + 1] - face[(2 * 27) + 1]);
        return ((int)(minX - grow), (int)(minY - grow), (int)(maxX + grow), (int)(maxY + grow));
    }

    /// <summary>Mean absolute luma difference inside each frame's mouth box (points 48-67 of the motion landmarks).</summary>
    public static double MouthMeanDifference(string source, string output, string motionLandmarksPath, int width, int height)
    {
        var (landmarks, _) = NpyReader.Load<float>(motionLandmarksPath);
        double sum = 0;
        long count = 0;
        using var a = Decode(source);
        using var b = Decode(output);
        var (fa, fb) = (new byte[width * height], new byte[width * height]);
        for (var f = 0; Read(a, fa) && Read(b, fb) && (f + 1) * 136 <= landmarks.Length; f++)
        {
            var face = landmarks.AsSpan(f * 136, 136);
            if (face[2 * 48] == 0 || float.IsNaN(face[2 * 48]))
            {
                continue;
            }

            var (left, top, right, bottom) = (float.MaxValue, float.MaxValue, float.MinValue, float.MinValue);
            for (var p = 48; p < 68; p++)
            {
                (left, right) = (Math.Min(left, face[2 * p]), Math.Max(right, face[2 * p]));
                (top, bottom) = (Math.Min(top, face[(2 * p) + 1]), Math.Max(bottom, face[(2 * p) + 1]));
            }

            for (var y = Math.Max(0, (int)top); y <= Math.Min(height - 1, (int)bottom); y++)
            {
                for (var x = Math.Max(0, (int)left); x <= Math.Min(width - 1, (int)right); x++)
                {
                    sum += Math.Abs(fa[(y * width) + x] - fb[(y * width) + x]);
                    count++;
                }
            }
        }

        Assert.True(count > 0, "no mouth compared");
        return sum / count;
    }

    private static Process Decode(string path)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-v", "error", "-i", path, "-map", "0:v:0", "-pix_fmt", "gray", "-f", "rawvideo", "pipe:1" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static bool Read(Process process, byte[] frame) =>
        process.StandardOutput.BaseStream.ReadAtLeast(frame, frame.Length, throwOnEndOfStream: false) == frame.Length;
}
