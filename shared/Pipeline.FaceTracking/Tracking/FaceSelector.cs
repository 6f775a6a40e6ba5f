using Pipeline.Contracts.Jobs;

namespace Pipeline.FaceTracking.Tracking;

/// <summary>
/// Applies the job's face selection to a run of tracked frames: which identity fills each output slot in each frame.
/// One slot, except for <see cref="FaceSelectionKind.All"/>, which has one per identity (up to the tracker's limit).
/// </summary>
public static class FaceSelector
{
    /// <summary>Output slots for a selection (the artifact's face axis).</summary>
    public static int Slots(FaceSelection selection, int maxFaces) => selection.Kind == FaceSelectionKind.All ? maxFaces : 1;

    /// <returns>[frame][slot] = the face (index into that frame's Faces) filling the slot, or -1.</returns>
    public static int[][] Select(IReadOnlyList<TrackedFrame> frames, FaceSelection selection, double fps, int maxFaces)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(selection);
        var slots = Slots(selection, maxFaces);
        var result = new int[frames.Count][];
        for (var i = 0; i < frames.Count; i++)
        {
            result[i] = new int[slots];
            Array.Fill(result[i], -1);
        }

        switch (selection.Kind)
        {
            case FaceSelectionKind.Largest:
                foreach (var (start, end) in Shots(frames))
                {
                    var id = LargestIn(frames, start, end);
                    Fill(frames, result, start, end, 0, id);
                }

                break;
            case FaceSelectionKind.Index:
                {
                    var order = ByFirstAppearance(frames);
                    var n = selection.Index ?? 0;
                    Fill(frames, result, 0, frames.Count, 0, n >= 0 && n < order.Count ? order[n] : -1);
                    break;
                }

            case FaceSelectionKind.Box:
                Fill(frames, result, 0, frames.Count, 0, AtBox(frames, selection, fps));
                break;
            case FaceSelectionKind.All:
                {
                    var order = ByFirstAppearance(frames);
                    for (var slot = 0; slot < Math.Min(slots, order.Count); slot++)
                    {
                        Fill(frames, result, 0, frames.Count, slot, order[slot]);
                    }

                    break;
                }
        }

        return result;
    }

    /// <summary>[start, end) frame ranges between cuts.</summary>
    public static IEnumerable<(int Start, int End)> Shots(IReadOnlyList<TrackedFrame> frames)
    {
        var start = 0;
        for (var i = 1; i < frames.Count; i++)
        {
            if (frames[i].Cut)
            {
                yield return (start, i);
                start = i;
            }
        }

        if (frames.Count > 0)
        {
            yield return (start, frames.Count);
        }
    }

    private static void Fill(IReadOnlyList<TrackedFrame> frames, int[][] result, int start, int end, int slot, int id)
    {
        if (id < 0)
        {
            return;
        }

        for (var i = start; i < end; i++)
        {
            var faces = frames[i].Faces;
            for (var k = 0; k < faces.Count; k++)
            {
                if (faces[k].Id == id)
                {
                    result[i][slot] = k;
                    break;
                }
            }
        }
    }

    // The face with the most box area summed over the shot: large and present for long.
    private static int LargestIn(IReadOnlyList<TrackedFrame> frames, int start, int end)
    {
        var area = new Dictionary<int, double>();
        for (var i = start; i < end; i++)
        {
            foreach (var f in frames[i].Faces)
            {
                area[f.Id] = area.GetValueOrDefault(f.Id) + ((double)f.Box.Width * f.Box.Height);
            }
        }

        return area.Count == 0 ? -1 : area.MaxBy(kv => kv.Value).Key;
    }

    // Identities in the order they first appear; faces appearing together are counted left to right.
    private static List<int> ByFirstAppearance(IReadOnlyList<TrackedFrame> frames)
    {
        var order = new List<int>();
        foreach (var frame in frames)
        {
            foreach (var f in frame.Faces.Where(f => !order.Contains(f.Id)).OrderBy(f => f.Box.CenterX))
            {
                order.Add(f.Id);
            }
        }

        return order;
    }

    // The face overlapping the box most at the given time (or at the nearest frame that has a face).
    private static int AtBox(IReadOnlyList<TrackedFrame> frames, FaceSelection selection, double fps)
    {
        if (selection.Box is not { } b || frames.Count == 0)
        {
            return -1;
        }

        var target = new FaceBox(b.X, b.Y, b.X + b.Width - 1, b.Y + b.Height - 1);
        var at = (long)Math.Round((selection.AtSeconds ?? 0) * fps);
        var candidates = frames.Where(f => f.Faces.Count > 0).OrderBy(f => Math.Abs(f.Frame - at)).FirstOrDefault();
        if (candidates is null)
        {
            return -1;
        }

        var best = candidates.Faces.MaxBy(f => LandmarkBoxModel.IoU(f.Box, target))!;
        return LandmarkBoxModel.IoU(best.Box, target) > 0 ? best.Id : -1;
    }
}
