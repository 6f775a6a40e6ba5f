namespace Pipeline.Encoding.Content;

/// <summary>
/// The viseme set of the content features: Oculus/OVR names, silence first. The order is a file format: it is the
/// column order of visemes.npy and is written into content.json, so only ever append, never reorder.
/// </summary>
public static class Visemes
{
    public const int Sil = 0;
    public const int PP = 1;   // p b m: lips closed
    public const int FF = 2;   // f v
    public const int TH = 3;   // th dh
    public const int DD = 4;   // t d
    public const int Kk = 5;   // k g
    public const int CH = 6;   // ch jh sh zh
    public const int SS = 7;   // s z
    public const int Nn = 8;   // n ng l
    public const int RR = 9;   // r
    public const int Aa = 10;  // open vowels
    public const int E = 11;   // mid and central vowels
    public const int I = 12;   // ih iy
    public const int O = 13;   // mid back rounded
    public const int U = 14;   // close back rounded, w

    public const int Count = 15;

    private static readonly string[] NameList = ["sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "I", "O", "U"];

    /// <summary>Column names of visemes.npy, in column order.</summary>
    public static IReadOnlyList<string> Names => NameList;

    public static int IndexOf(string name)
    {
        var i = Array.IndexOf(NameList, name);
        return i >= 0 ? i : throw new ArgumentException($"unknown viseme '{name}'", nameof(name));
    }
}
