using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Media;

namespace Pipeline.Encoding.Content.PocketSphinx;

/// <summary>
/// Phone recognition with timings by PocketSphinx's speaker-independent en-us model (allphone mode). ffmpeg first
/// converts the input to the 16 kHz mono 16-bit WAV the model was trained on; pocketsphinx_continuous then runs as
/// a child process under a timeout and the caller's cancellation.
/// </summary>
public sealed class PocketSphinxRecognizer
{
    private readonly FfmpegRunner _ffmpeg;
    private readonly PocketSphinxOptions _options;
    private readonly ILogger _logger;

    public PocketSphinxRecognizer(FfmpegRunner ffmpeg, PocketSphinxOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ffmpeg);
        _ffmpeg = ffmpeg;
        _options = options ?? new PocketSphinxOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Recognised phones of <paramref name="audioPath"/>; <paramref name="durationSeconds"/> sizes the timeout.</summary>
    public async Task<IReadOnlyList<TimedPhone>> RecognizeAsync(string audioPath, double durationSeconds, string scratchDirectory, CancellationToken ct = default)
    {
        var wav = Path.Combine(scratchDirectory, $"pocketsphinx-{Guid.NewGuid():N}.wav");
        try
        {
            await _ffmpeg.RunAsync(
                ["-nostats", "-v", "error", "-y", "-i", audioPath, "-map", "0:a:0", "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", wav],
                new FfmpegRunOptions(FilePath: audioPath),
                ct).ConfigureAwait(false);
            var output = await RunAsync(wav, durationSeconds, removeNoise: true, ct).ConfigureAwait(false);
            return PocketSphinxOutputParser.Parse(output);
        }
        finally
        {
            File.Delete(wav);
        }
    }

    /// <summary>
    /// Phones of 16 kHz mono samples already in memory (one chunk of a long clip); times are relative to the first
    /// sample. The samples are written as the 16-bit WAV pocketsphinx_continuous reads, then deleted.
    /// </summary>
    /// <param name="removeNoise">
    /// The front end's spectral noise subtraction (PocketSphinx's default, on). A collapse (see <see cref="PhoneCollapse"/>)
    /// is triggered by a stretch of audio under one setting, and the other setting usually gets past it.
    /// </param>
    public async Task<IReadOnlyList<TimedPhone>> RecognizeSamplesAsync(ReadOnlyMemory<float> samples16k, string scratchDirectory, bool removeNoise = true, CancellationToken ct = default)
    {
        var wav = Path.Combine(scratchDirectory, $"pocketsphinx-{Guid.NewGuid():N}.wav");
        try
        {
            await Pcm16WavFile.WriteAsync(wav, samples16k, SampleRate, ct).ConfigureAwait(false);
            var output = await RunAsync(wav, samples16k.Length / (double)SampleRate, removeNoise, ct).ConfigureAwait(false);
            return PocketSphinxOutputParser.Parse(output);
        }
        finally
        {
            File.Delete(wav);
        }
    }

    /// <summary>The rate of the en-us acoustic model.</summary>
    public const int SampleRate = 16000;

    /// <summary>
    /// Recogniser processes running at once in this process, whoever started them. Each is single-threaded and holds
    /// 100-260 MB (more for longer windows), and one job encodes two speech tracks at once, each with its own windows:
    /// without a shared limit a 2-core machine ran four, and a 10-minute dub peaked at 1.42 GB (1.24 GB with it).
    /// More processes than cores finish no sooner, so the limit is the core count.
    /// </summary>
    private static readonly SemaphoreSlim Slots = new(Math.Max(1, Environment.ProcessorCount));

    private async Task<string> RunAsync(string wav16k, double durationSeconds, bool removeNoise, CancellationToken ct)
    {
        await Slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await RunProcessAsync(wav16k, durationSeconds, removeNoise, ct).ConfigureAwait(false);
        }
        finally
        {
            Slots.Release();
        }
    }

    private async Task<string> RunProcessAsync(string wav16k, double durationSeconds, bool removeNoise, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(_options.ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // See PocketSphinxOptions for what each setting costs and finds.
        var beam = _options.Beam.ToString("0.##e0", CultureInfo.InvariantCulture);
        var phoneBeam = _options.PhoneBeam.ToString("0.##e0", CultureInfo.InvariantCulture);
        foreach (var a in (string[])["-infile", wav16k, "-allphone", _options.PhoneLanguageModel, "-allphone_ci", _options.ContextIndependent ? "yes" : "no",
                     "-backtrace", "yes", "-beam", beam, "-pbeam", phoneBeam, "-lw", "2.0", "-time", "yes", "-remove_noise", removeNoise ? "yes" : "no", "-logfn", "/dev/null"])
        {
            psi.ArgumentList.Add(a);
        }

        var commandLine = _options.ExecutablePath + " " + string.Join(' ', psi.ArgumentList);
        var limit = _options.BaseTimeout + TimeSpan.FromSeconds(Math.Max(0, durationSeconds) * _options.TimeoutSecondsPerAudioSecond);
        _logger.LogInformation("pocketsphinx: {CommandLine} (limit {Limit})", commandLine, limit);

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"PocketSphinx is not installed ({_options.ExecutablePath}: {e.Message}); apt-get install pocketsphinx pocketsphinx-en-us", e);
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(limit);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                var text = await stdout.ConfigureAwait(false);
                var errors = await stderr.ConfigureAwait(false);
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException(
                        $"pocketsphinx_continuous failed with exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {Tail(errors)}");
                }

                return text;
            }
            catch (OperationCanceledException)
            {
                await KillAsync(process).ConfigureAwait(false);
                if (ct.IsCancellationRequested)
                {
                    throw;
                }

                throw new TimeoutException($"pocketsphinx_continuous ran longer than {limit} on {durationSeconds:0.0} s of audio");
            }
        }
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            return; // already exited
        }

        // Kill only signals: wait for the exit, so a cancelled stage returns with no recogniser still holding its
        // hundreds of megabytes. A SIGKILLed process is reaped in milliseconds; the bound is for a stuck kernel.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Still there after the bound: report the cancellation anyway rather than hang the stage.
        }
    }

    private static string Tail(string text) => text.Length <= 2000 ? text.Trim() : text[^2000..].Trim();
}
