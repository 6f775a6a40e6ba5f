namespace Pipeline.Encoding.Tests;

/// <summary>Sentences rich in /p b m/ for the closure measurements (the same set in every test and in EVIDENCE.md).</summary>
internal static class SyntheticCorpus
{
    public static IReadOnlyList<string> Sentences { get; } =
    [
        "Bob made a map of the pub by the bay.",
        "My mom bought both maps.",
        "Pam baked plump apple pies for the big picnic.",
        "Maybe the baby bumped the empty bottle.",
        "Put the purple bib on the bumpy bed, Pete.",
        "A member of the public remembered the poem.",
    ];
}
