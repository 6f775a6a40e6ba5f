using Pipeline.Encoding.Content;
using Pipeline.Encoding.Content.HeadAudio;
using Pipeline.Media;

namespace Pipeline.Encoding.Tests;

/// <summary>The real tools wired as the service wires them, with test-sized timeouts.</summary>
internal sealed class EncodingTools
{
    public EncodingTools(ContentEncoderOptions? options = null)
    {
        Options = options ?? new ContentEncoderOptions();
        var media = new MediaToolOptions { ProcessTimeout = TimeSpan.FromSeconds(120), StopGrace = TimeSpan.FromSeconds(2) };
        Runner = new FfmpegRunner(media);
        Prober = new MediaProber(Runner);
        Encoder = new ContentEncoder(Runner, Prober, Options);
    }

    public ContentEncoderOptions Options { get; }

    public FfmpegRunner Runner { get; }

    public MediaProber Prober { get; }

    public ContentEncoder Encoder { get; }

    /// <summary>The fetched HeadAudio model, or skip (fail under CI) with how to fetch it.</summary>
    public static string RequireModel()
    {
        var path = HeadAudioModelLocator.DefaultPath();
        if (!File.Exists(path))
        {
            var message = $"HeadAudio model not found at {path}: run infra/fetch-headaudio.sh";
            if (Pipeline.TestSupport.TestData.IsCi)
            {
                throw new FileNotFoundException(message, path);
            }

            Assert.Skip(message);
        }

        return path;
    }

    public static void RequirePocketSphinx()
    {
        if (!File.Exists("/usr/bin/pocketsphinx_continuous") || !File.Exists("/usr/share/pocketsphinx/model/en-us/en-us-phone.lm.bin"))
        {
            const string message = "pocketsphinx + pocketsphinx-en-us are not installed";
            if (Pipeline.TestSupport.TestData.IsCi)
            {
                throw new InvalidOperationException(message);
            }

            Assert.Skip(message);
        }
    }
}
