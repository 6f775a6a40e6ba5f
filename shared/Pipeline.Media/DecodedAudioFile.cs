using System.Runtime.InteropServices;

namespace Pipeline.Media;

/// <summary>
/// A track decoded once, whole, to raw mono float samples in a scratch file, then read back as often as needed
/// without a decoder running. Why not stream from ffmpeg: a stage that reads slowly (speech recognition takes a
/// minute per track-minute) would keep an ffmpeg process waiting on a full pipe for the whole stage, about 50 MB
/// resident (some 20 MB of it its own, the rest libraries shared with other ffmpegs); decoding the track to a file
/// takes a fraction of a second, and the file costs 64 KB per second of audio at 16 kHz on disk, not in memory.
/// </summary>
public sealed class DecodedAudioFile : IAsyncDisposable
{
    private DecodedAudioFile(string path, int sampleRate, long samples)
    {
        Path = path;
        SampleRate = sampleRate;
        Samples = samples;
    }

    /// <summary>The scratch file: little-endian float32, mono.</summary>
    public string Path { get; }

    public int SampleRate { get; }

    public long Samples { get; }

    /// <summary>Decodes the first audio stream of <paramref name="path"/>, downmixed and resampled, into <paramref name="scratchPath"/>.</summary>
    public static async Task<DecodedAudioFile> DecodeAsync(MediaProber prober, FfmpegRunner runner, string path, int sampleRate, string scratchPath, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(prober);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentException.ThrowIfNullOrEmpty(scratchPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, 384000);

        var info = await prober.ProbeAsync(path, ct).ConfigureAwait(false);
        var audio = info.Audio ?? throw MediaErrors.NoAudioStream(info.Path);
        string[] args =
        [
            "-nostats", "-v", "error", "-y",
            .. InputArgs.For(info),
            "-map", $"0:{FfmpegNumber.Int(audio.Index)}", "-vn", "-sn", "-dn",
            "-ac", "1", "-ar", FfmpegNumber.Int(sampleRate),
            "-c:a", "pcm_f32le", "-f", "f32le", scratchPath,
        ];
        try
        {
            await runner.RunAsync(args, new FfmpegRunOptions(TotalSeconds: info.AudioDurationSeconds, FilePath: info.Path), ct).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(scratchPath);
            throw;
        }

        return new DecodedAudioFile(scratchPath, sampleRate, new FileInfo(scratchPath).Length / sizeof(float));
    }

    /// <summary>A reader from the first sample; each reader has its own position.</summary>
    public IAudioSampleSource OpenReader() => new Reader(Path, SampleRate);

    public ValueTask DisposeAsync()
    {
        File.Delete(Path);
        return ValueTask.CompletedTask;
    }

    private sealed class Reader(string path, int sampleRate) : IAudioSampleSource
    {
        private long _position;

        public int SampleRate => sampleRate;

        public int Channels => 1;

        public ValueTask<int> ReadAsync(Memory<float> interleaved, CancellationToken ct = default)
        {
            ct.ThrowIfCancellationRequested();

            // Synchronous reads straight into the caller's floats: the file is fresh in the page cache, so a window of
            // seconds is a memory copy, and one handle per read means no handle outlives the reader.
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            var bytes = MemoryMarshal.AsBytes(interleaved.Span);
            var filled = 0;
            while (filled < bytes.Length)
            {
                var got = RandomAccess.Read(file, bytes[filled..], _position + filled);
                if (got == 0)
                {
                    break;
                }

                filled += got;
            }

            filled -= filled % sizeof(float);
            _position += filled;
            return ValueTask.FromResult(filled / sizeof(float));
        }
    }
}
