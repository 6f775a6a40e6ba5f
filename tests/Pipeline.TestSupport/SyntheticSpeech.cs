using System.Globalization;
using Xunit;

namespace Pipeline.TestSupport;

/// <summary>One phoneme of synthetic speech, in SAMPA as espeak-ng's mbrola voices write it; "_" is a pause.</summary>
public sealed record TimedPhoneme(string Phoneme, double StartSeconds, double EndSeconds)
{
    public bool IsPause => Phoneme == "_";
}

/// <summary>A synthesised utterance and the exact phoneme timings it was synthesised from.</summary>
public sealed record SyntheticUtterance(string WavPath, string Text, IReadOnlyList<TimedPhoneme> Phonemes, double DurationSeconds);

/// <summary>
/// Phonetic ground truth nobody labelled by hand: espeak-ng with an mbrola voice speaks a text, and its --pho
/// output (what mbrola was told to say, with durations in ms) gives every phoneme's timing. The phoneme list and
/// the audio come from the same synthesis settings, so the timings are exact to the sample.
/// </summary>
public static class SyntheticSpeech
{
    public const string DefaultVoice = "mb-us1";

    public static bool IsAvailable(string voice = DefaultVoice) =>
        File.Exists($"/usr/share/mbrola/{voice.Replace("mb-", string.Empty)}/{voice.Replace("mb-", string.Empty)}")
        || Directory.Exists($"/usr/share/mbrola/{voice.Replace("mb-", string.Empty)}");

    /// <summary>Synthesises <paramref name="text"/> into <paramref name="folder"/>; skips (fails under CI) without espeak-ng + mbrola.</summary>
    public static SyntheticUtterance Speak(string text, string folder, string voice = DefaultVoice, int wordsPerMinute = 150)
    {
        if (!IsAvailable(voice) || !File.Exists("/usr/bin/espeak-ng"))
        {
            var message = $"espeak-ng with the mbrola voice {voice} is not installed (infra/install-deps.sh installs it)";
            if (TestData.IsCi)
            {
                throw new InvalidOperationException(message);
            }

            Assert.Skip(message);
        }

        var name = $"speech-{Math.Abs(text.GetHashCode(StringComparison.Ordinal)):x}-{voice}-{wordsPerMinute}";
        var wav = Path.Combine(folder, name + ".wav");
        var pho = Tool.Run("espeak-ng", "-v", voice, "-s", wordsPerMinute.ToString(CultureInfo.InvariantCulture), "--pho", "-q", text);
        Tool.Run("espeak-ng", "-v", voice, "-s", wordsPerMinute.ToString(CultureInfo.InvariantCulture), "-w", wav, text);

        var phonemes = new List<TimedPhoneme>();
        var t = 0.0;
        foreach (var line in pho.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                continue;
            }

            phonemes.Add(new TimedPhoneme(fields[0], t, t + (ms / 1000.0)));
            t += ms / 1000.0;
        }

        return new SyntheticUtterance(wav, text, phonemes, Ffmpeg.Duration(wav));
    }
}
