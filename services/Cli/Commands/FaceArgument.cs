using System.CommandLine;
using System.Globalization;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Cli.Commands;

/// <summary><c>--face</c>: largest (default) | index:N | box:X,Y,W,H[@SECONDS] | all.</summary>
public static class FaceArgument
{
    public static Option<string> Option()
    {
        var option = new Option<string>("--face")
        {
            Description = "Which face: largest (per shot), index:N (N-th from the left where faces first appear), box:X,Y,W,H[@SECONDS] (the face in that box at that time), all",
            DefaultValueFactory = _ => "largest",
        };
        option.Validators.Add(r =>
        {
            if (!TryParse(r.GetValueOrDefault<string>(), out _, out var error))
            {
                r.AddError(error!);
            }
        });
        return option;
    }

    public static FaceSelection Parse(string? text) =>
        TryParse(text, out var selection, out var error) ? selection : throw new CliException(error!);

    public static bool TryParse(string? text, out FaceSelection selection, out string? error)
    {
        selection = FaceSelection.Largest;
        error = null;
        var t = (text ?? "largest").Trim().ToLowerInvariant();
        var inv = CultureInfo.InvariantCulture;
        if (t is "largest" or "")
        {
            return true;
        }

        if (t == "all")
        {
            selection = new FaceSelection(FaceSelectionKind.All);
            return true;
        }

        if (t.StartsWith("index:", StringComparison.Ordinal) && int.TryParse(t[6..], NumberStyles.None, inv, out var n))
        {
            selection = new FaceSelection(FaceSelectionKind.Index, Index: n);
            return true;
        }

        if (t.StartsWith("box:", StringComparison.Ordinal))
        {
            var body = t[4..];
            double at = 0;
            var atSign = body.IndexOf('@', StringComparison.Ordinal);
            if (atSign >= 0 && !double.TryParse(body[(atSign + 1)..], NumberStyles.Float, inv, out at))
            {
                error = $"--face '{text}': the time after @ must be seconds, e.g. box:100,80,200,200@1.5";
                return false;
            }

            var parts = (atSign >= 0 ? body[..atSign] : body).Split(',');
            if (parts.Length == 4 && parts.All(p => int.TryParse(p, NumberStyles.None, inv, out _)))
            {
                var v = parts.Select(p => int.Parse(p, inv)).ToArray();
                if (v[2] > 0 && v[3] > 0)
                {
                    selection = new FaceSelection(FaceSelectionKind.Box, Box: new BoundingBox(v[0], v[1], v[2], v[3]), AtSeconds: at);
                    return true;
                }
            }
        }

        error = $"--face '{text}' is not one of: largest, index:N, box:X,Y,W,H[@SECONDS], all";
        return false;
    }
}
