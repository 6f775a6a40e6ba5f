using System.Text;

namespace Pipeline.Media;

/// <summary>Renders an argument list as a POSIX shell line, so a logged command can be pasted and rerun as is.</summary>
internal static class CommandLineText
{
    public static string Format(string tool, IEnumerable<string> args)
    {
        var text = new StringBuilder(Quote(tool));
        foreach (var arg in args)
        {
            text.Append(' ').Append(Quote(arg));
        }

        return text.ToString();
    }

    private static string Quote(string arg)
    {
        if (arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=+,@%".Contains(c)))
        {
            return arg;
        }

        return "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
