using System.Runtime.InteropServices;

namespace Pipeline.Media;

/// <summary>
/// Streams the first audio stream as interleaved float32 at a chosen rate and channel count (ffmpeg resamples
/// and mixes). Memory stays at one reusable byte buffer whatever the length of the input.
/// </summary>
public sealed class AudioSampleReader : IAudioSampleSource, IAsyncDisposable
{
    private readonly FfmpegProcess _process;
    private readonly Stream _stdout;
    private readonly string _path;
    private const int MaxBlockFloats = 16 * 1024;

    private byte[] _bytes = [];
    private bool _ended;

    private AudioSampleReader(FfmpegProcess process, MediaInfo source, int sampleRate, int channels)
    {
        _process = process;
        _stdout = process.StandardOutput;
        _path = source.Path;
        Source = source;
        SampleRate = sampleRate;
        Channels = channels;
    }

    /// <summary>What the input holds, as probed on opening (callers need not probe it again).</summary>
    public MediaInfo Source { get; }

    public int SampleRate { get; }

    public int Channels { get; }

    public long SamplesRead { get; private set; }

    public static Task<AudioSampleReader> OpenAsync(MediaProber prober, FfmpegRunner runner, string path, int sampleRate, int channels, CancellationToken ct = default) =>
        OpenAsync(prober, runner, path, sampleRate, channels, 0, 0, ct);

    /// <summary>
    /// Decodes only [<paramref name="startSeconds"/>, start + <paramref name="durationSeconds"/>) of the audio
    /// (duration 0 = to the end). ffmpeg seeks, then decodes and drops samples up to the start, so the range is
    /// sample-accurate for PCM and within a codec frame's priming for compressed audio.
    /// </summary>
    public static async Task<AudioSampleReader> OpenAsync(MediaProber prober, FfmpegRunner runner, string path, int sampleRate, int channels, double startSeconds, double durationSeconds, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(durationSeconds);
        ArgumentNullException.ThrowIfNull(prober);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, 384000);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 8);

        var info = await prober.ProbeAsync(path, ct).ConfigureAwait(false);
        var audio = info.Audio ?? throw MediaErrors.NoAudioStream(info.Path);
        string[] args =
        [
            "-nostats", "-v", "error",
            .. startSeconds > 0 ? (string[])["-ss", FfmpegNumber.Seconds(startSeconds)] : [],
            .. durationSeconds > 0 ? (string[])["-t", FfmpegNumber.Seconds(durationSeconds)] : [],
            .. InputArgs.For(info),
            "-map", $"0:{FfmpegNumber.Int(audio.Index)}", "-vn", "-sn", "-dn",
            "-ac", FfmpegNumber.Int(channels), "-ar", FfmpegNumber.Int(sampleRate),
            "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1",
        ];
        var process = runner.Start(args, new FfmpegRunOptions(FilePath: info.Path), redirectStdout: true);
        return new AudioSampleReader(process, info, sampleRate, channels);
    }

    /// <summary>
    /// Fills the start of <paramref name="interleaved"/> with whole sample frames (a multiple of
    /// <see cref="Channels"/> floats) and returns how many floats it wrote; 0 only at the end.
    /// </summary>
    public async ValueTask<int> ReadAsync(Memory<float> interleaved, CancellationToken ct = default)
    {
        var frameFloats = Channels;
        if (interleaved.Length < frameFloats)
        {
            throw new ArgumentException($"The buffer must hold at least {Channels} floats (one sample per channel).", nameof(interleaved));
        }

        if (_ended)
        {
            return 0;
        }

        // Pipes do not deliver whole floats; a small byte buffer keeps reads aligned. It is capped (64 KB) rather than
        // sized to the request: a minute-long request would otherwise pin megabytes per reader on the large-object heap.
        var wantFloats = Math.Min(interleaved.Length, MaxBlockFloats) / frameFloats * frameFloats;
        var wantBytes = wantFloats * sizeof(float);
        if (_bytes.Length < wantBytes)
        {
            _bytes = new byte[wantBytes];
        }

        var frameBytes = frameFloats * sizeof(float);
        int got;
        try
        {
            got = await _stdout.ReadAtLeastAsync(_bytes.AsMemory(0, wantBytes), frameBytes, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            var partial = got % frameBytes;
            if (partial != 0)
            {
                got += await _stdout.ReadAtLeastAsync(_bytes.AsMemory(got, frameBytes - partial), frameBytes - partial, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await _process.StopAsync().ConfigureAwait(false);
            throw MediaErrors.Cancelled("ffmpeg", _path);
        }

        var whole = got / frameBytes * frameBytes;
        if (whole > 0)
        {
            MemoryMarshal.Cast<byte, float>(_bytes.AsSpan(0, whole)).CopyTo(interleaved.Span);
            var floats = whole / sizeof(float);
            SamplesRead += floats / frameFloats;
            return floats;
        }

        _ended = true;
        await _process.WaitForExitAsync(ct).ConfigureAwait(false);
        return 0;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
