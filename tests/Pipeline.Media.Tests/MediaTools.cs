using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipeline.Media.Tests;

/// <summary>The real tools wired the way the services wire them, with test-sized timeouts.</summary>
internal sealed class MediaTools
{
    public MediaTools(MediaToolOptions? options = null, ILoggerFactory? logs = null)
    {
        Options = options ?? new MediaToolOptions { ProcessTimeout = TimeSpan.FromSeconds(60), StopGrace = TimeSpan.FromSeconds(2) };
        logs ??= NullLoggerFactory.Instance;
        Runner = new FfmpegRunner(Options, logs.CreateLogger<FfmpegRunner>());
        Prober = new MediaProber(Runner, logs.CreateLogger<MediaProber>());
        Editor = new MediaEditor(Prober, Runner, logs.CreateLogger<MediaEditor>());
    }

    public MediaToolOptions Options { get; }

    public FfmpegRunner Runner { get; }

    public MediaProber Prober { get; }

    public MediaEditor Editor { get; }
}
