using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Pipeline.Media;

/// <summary>
/// One running ffmpeg (or ffprobe). stderr is always drained in the background; stdout and stdin are the
/// caller's when asked for, otherwise stdout is discarded and stdin is kept for sending 'q'.
/// Every process has a timeout, and is stopped ('q' or end of input, then a process-tree kill after
/// <see cref="MediaToolOptions.StopGrace"/>) on timeout, cancellation or dispose.
/// </summary>
public sealed class FfmpegProcess : IAsyncDisposable
{
    private enum StopReason
    {
        None,
        Cancelled,
        Timeout,
        Stopped,
    }

    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly string _tool;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _grace;
    private readonly string? _filePath;
    private readonly bool _callerStdin;
    private readonly bool _callerStdout;
    private readonly StderrCollector _stderr;
    private readonly Task _exited;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _timeoutCts;
    private readonly CancellationTokenRegistration _timeoutRegistration;
    private readonly object _gate = new();
    private StopReason _stopReason;
    private Task? _stopping;
    private bool _disposed;

    private FfmpegProcess(Process process, string tool, string commandLine, MediaToolOptions options, FfmpegRunOptions? run, TimeSpan defaultTimeout, bool callerStdin, bool callerStdout, ILogger logger)
    {
        _process = process;
        _tool = tool;
        _logger = logger;
        _timeout = run?.Timeout ?? defaultTimeout;
        _grace = options.StopGrace;
        _filePath = run?.FilePath;
        _callerStdin = callerStdin;
        _callerStdout = callerStdout;
        CommandLine = commandLine;
        _stderr = new StderrCollector(logger, run?.TotalSeconds, run?.Progress);

        var stderrPump = Task.Run(() => _stderr.PumpAsync(process.StandardError));
        var stdoutDrain = callerStdout ? Task.CompletedTask : Task.Run(() => process.StandardOutput.BaseStream.CopyToAsync(Stream.Null));
        _exited = WaitForAllAsync(process, stderrPump, stdoutDrain);

        _timeoutCts = new CancellationTokenSource(_timeout);
        _timeoutRegistration = _timeoutCts.Token.Register(() => RequestStop(StopReason.Timeout));
    }

    public string CommandLine { get; }

    /// <summary>ffmpeg's stdout, for pipe outputs (rawvideo, f32le). Only when started with redirectStdout.</summary>
    public Stream StandardOutput => _callerStdout
        ? _process.StandardOutput.BaseStream
        : throw new InvalidOperationException("stdout was not redirected for the caller; start with redirectStdout: true.");

    /// <summary>ffmpeg's stdin, for pipe inputs. Only when started with redirectStdin; close it to end the input.</summary>
    public Stream StandardInput => _callerStdin
        ? _process.StandardInput.BaseStream
        : throw new InvalidOperationException("stdin was not redirected for the caller; start with redirectStdin: true.");

    public bool HasExited => _exited.IsCompleted;

    /// <summary>The current stderr tail (last diagnostic lines and the last stats line).</summary>
    public string StderrTail => _stderr.Tail();

    internal static FfmpegProcess Start(
        string tool,
        string toolPath,
        string setting,
        IReadOnlyList<string> args,
        MediaToolOptions options,
        TimeSpan defaultTimeout,
        FfmpegRunOptions? run,
        bool redirectStdin,
        bool redirectStdout,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo(toolPath)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,

            // Always ours: without a pipe ffmpeg would read the service's terminal, and we need it to send 'q'.
            RedirectStandardInput = true,
            CreateNoWindow = true,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        var commandLine = CommandLineText.Format(toolPath, args);
        logger.LogInformation("Running {Tool}: {CommandLine}", tool, commandLine);

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start.");
        }
        catch (Win32Exception e)
        {
            throw MediaErrors.ToolMissing(tool, toolPath, setting, e);
        }

        return new FfmpegProcess(process, tool, commandLine, options, run, defaultTimeout, redirectStdin, redirectStdout, logger);
    }

    /// <summary>
    /// Waits for the exit. Returns on exit code 0; otherwise throws <see cref="MediaException"/>: the classified
    /// ffmpeg error, <see cref="MediaErrorKind.Timeout"/>, or <see cref="MediaErrorKind.Cancelled"/> (cancelling
    /// <paramref name="ct"/> stops the process first).
    /// </summary>
    public async Task<FfmpegResult> WaitForExitAsync(CancellationToken ct = default)
    {
        try
        {
            await _exited.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _ = RequestStop(StopReason.Cancelled);
            await _exited.ConfigureAwait(false);
        }

        return Outcome();
    }

    /// <summary>Asks ffmpeg to finish ('q', or end of its piped input), then kills its process tree after the grace period.</summary>
    public ValueTask StopAsync() => new(RequestStop(StopReason.Stopped));

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_exited.IsCompleted)
        {
            await RequestStop(StopReason.Stopped).ConfigureAwait(false);
        }

        try
        {
            await _exited.ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The pipes were torn down by the kill; nothing left to read.
        }

        await _timeoutRegistration.DisposeAsync().ConfigureAwait(false);
        _timeoutCts.Dispose();
        _process.Dispose();
    }

    /// <summary>Throws the error matching how the process ended, or returns its result.</summary>
    internal FfmpegResult Outcome()
    {
        var result = new FfmpegResult(_process.ExitCode, CommandLine, _stderr.Tail(), _clock.Elapsed);
        StopReason reason;
        lock (_gate)
        {
            reason = _stopReason;
        }

        switch (reason)
        {
            case StopReason.Timeout:
                _logger.LogWarning("{Tool} timed out after {Timeout}: {CommandLine}", _tool, _timeout, CommandLine);
                throw MediaErrors.Timeout(_tool, _timeout, _filePath, result.StderrTail);
            case StopReason.Cancelled or StopReason.Stopped:
                _logger.LogInformation("{Tool} stopped (cancelled) after {Elapsed}", _tool, result.Elapsed);
                throw MediaErrors.Cancelled(_tool, _filePath);
        }

        if (result.ExitCode != 0)
        {
            _logger.LogWarning("{Tool} exited with {ExitCode} after {Elapsed}: {CommandLine}\n{Stderr}", _tool, result.ExitCode, result.Elapsed, CommandLine, result.StderrTail);
            throw ToException(FfmpegErrorClassifier.Explain(result.StderrTail), result.StderrTail);
        }

        _logger.LogDebug("{Tool} finished in {Elapsed}", _tool, result.Elapsed);
        return result;
    }

    private MediaException ToException(FfmpegError error, string tail)
    {
        var path = error.FilePath ?? _filePath;
        return error.Kind switch
        {
            MediaErrorKind.NotFound => MediaErrors.NotFound(path, error.Reason, tail),
            MediaErrorKind.NotMedia => MediaErrors.NotMedia(path, error.Reason, tail),
            MediaErrorKind.NoVideoStream => MediaErrors.NoVideoStream(path, tail),
            MediaErrorKind.NoAudioStream => MediaErrors.NoAudioStream(path, tail),
            MediaErrorKind.OutputNotWritable => MediaErrors.OutputNotWritable(error.FilePath, error.Reason, tail),
            MediaErrorKind.Unsupported => MediaErrors.Unsupported(path, error.Reason ?? "not supported by ffmpeg", tail),
            MediaErrorKind.Cancelled => MediaErrors.Cancelled(_tool, path),
            _ => MediaErrors.ProcessFailed(_tool, path, error.Reason, tail),
        };
    }

    private Task RequestStop(StopReason reason)
    {
        lock (_gate)
        {
            if (_stopping is not null || _exited.IsCompleted)
            {
                return _stopping ?? Task.CompletedTask;
            }

            _stopReason = reason;
            _stopping = Task.Run(StopCoreAsync);
            return _stopping;
        }
    }

    private async Task StopCoreAsync()
    {
        _logger.LogInformation("Stopping {Tool} ({Reason}): {CommandLine}", _tool, _stopReason, CommandLine);
        try
        {
            if (_callerStdin)
            {
                // The pipe is ffmpeg's input, so it does not read keys: end of input makes it finish the file.
                _process.StandardInput.Close();
            }
            else
            {
                await _process.StandardInput.WriteAsync('q').ConfigureAwait(false);
                await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            }

            if (_callerStdout)
            {
                // A consumer that stopped reading leaves ffmpeg blocked on a full pipe, where it cannot see 'q'.
                _process.StandardOutput.BaseStream.Close();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Already exited or the pipe is gone: the kill below covers it.
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(_grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("{Tool} did not stop within {Grace}; killing its process tree", _tool, _grace);
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited between the wait and the kill.
            }
        }
    }

    private static async Task WaitForAllAsync(Process process, Task stderrPump, Task stdoutDrain)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(stderrPump, stdoutDrain).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Pipes closed under us during a stop; the exit code and tail are what matter.
        }
    }
}
