namespace Pipeline.Encoding.Content.HeadAudio;

/// <summary>HeadAudio's own viseme numbering (its README, appendix A) and how it maps onto <see cref="Visemes"/>.</summary>
public static class HeadAudioVisemes
{
    public const int Count = 15;

    /// <summary>HeadAudio's silence id (parameters.mjs MODEL_VISEME_SIL).</summary>
    public const int Sil = 14;

    private static readonly string[] NameList = ["aa", "E", "I", "O", "U", "PP", "SS", "TH", "DD", "FF", "kk", "nn", "RR", "CH", "sil"];

    private static readonly int[] ToOurs = NameList.Select(Visemes.IndexOf).ToArray();

    public static IReadOnlyList<string> Names => NameList;

    /// <summary>Our viseme index for a HeadAudio viseme id.</summary>
    public static int ToViseme(int headAudioViseme) => ToOurs[headAudioViseme];
}
