using Pipeline.TestSupport;

namespace Pipeline.AudioFeatures.Tests;

/// <summary>Decodes with the ffmpeg CLI (independently of the code under test) to 16 kHz mono float.</summary>
internal static class AudioFiles
{
    public static float[] Decode16kMono(string path, ScratchDirectory scratch)
    {
        var raw = scratch.File($"decoded-{Guid.NewGuid():N}.f32");
        Ffmpeg.Run("-i", path, "-ac", "1", "-ar", "16000", "-f", "f32le", "-c:a", "pcm_f32le", raw);
        var bytes = File.ReadAllBytes(raw);
        var samples = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
        return samples;
    }
}
