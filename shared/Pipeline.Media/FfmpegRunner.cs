using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Pipeline.Media;

/// <summary>Starts ffmpeg (and, for <see cref="MediaProber"/>, ffprobe) with an argument list — never a shell string.</summary>
public sealed class FfmpegRunner
{
    private readonly ILogger _logger;

    public FfmpegRunner(IOptions<MediaToolOptions> options, ILogger<FfmpegRunner> logger)
        : this(options.Value, logger)
    {
    }

    public FfmpegRunner(MediaToolOptions options, ILogger<FfmpegRunner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _logger = logger ?? NullLogger<FfmpegRunner>.Instance;
    }

    public MediaToolOptions Options { get; }

    /// <summary>
    /// Runs ffmpeg to completion. Throws <see cref="MediaException"/> on a non-zero exit (classified from stderr),
    /// on timeout, on cancellation ('q', then a kill after the grace period) and when ffmpeg is not installed.
    /// </summary>
    public async Task<FfmpegResult> RunAsync(IReadOnlyList<string> args, FfmpegRunOptions? options = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequestedAsMedia(options?.FilePath);
        await using var process = Start(args, options);
        var result = await process.WaitForExitAsync(ct).ConfigureAwait(false);
        options?.Progress?.Report(1);
        return result;
    }

    /// <summary>Starts ffmpeg and hands back the process, whose stdin/stdout the caller streams when redirected.</summary>
    public FfmpegProcess Start(IReadOnlyList<string> args, FfmpegRunOptions? options = null, bool redirectStdin = false, bool redirectStdout = false) =>
        FfmpegProcess.Start("ffmpeg", Options.FfmpegPath, "Media:FfmpegPath", ["-hide_banner", .. args], Options, Options.ProcessTimeout, options, redirectStdin, redirectStdout, _logger);

    internal FfmpegProcess StartProbe(IReadOnlyList<string> args, string filePath, ILogger logger) =>
        FfmpegProcess.Start("ffprobe", Options.FfprobePath, "Media:FfprobePath", ["-hide_banner", .. args], Options, Options.ProbeTimeout, new FfmpegRunOptions(FilePath: filePath), false, true, logger);
}
