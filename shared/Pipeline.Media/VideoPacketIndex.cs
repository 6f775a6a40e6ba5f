namespace Pipeline.Media;

/// <summary>
/// A video stream's packets in decode order (presentation time and duration of each). Stream copy can only
/// keep a decode-order prefix of packets, and with B-frames that prefix is not the first k frames on screen;
/// this finds the prefix whose picture ends closest to a wanted time.
/// </summary>
internal sealed class VideoPacketIndex
{
    private readonly double[] _pts;
    private readonly double[] _dts;
    private readonly double[] _durations;

    /// <param name="origin">The file's start time: ffmpeg shifts every input by it, so output time = pts - origin.</param>
    public VideoPacketIndex(double[] pts, double[] dts, double[] durations, double origin = 0)
    {
        if (pts.Length != durations.Length || pts.Length != dts.Length)
        {
            throw new ArgumentException("One decode time and duration per packet.", nameof(durations));
        }

        _pts = pts;
        _dts = dts;
        _durations = durations;
        Origin = origin;
        Start = pts.Length == 0 ? 0 : pts.Min() - origin;
    }

    public int Count => _pts.Length;

    public double Origin { get; }

    /// <summary>Output time of the first frame on screen (not always 0: audio may start first).</summary>
    public double Start { get; }

    /// <summary>From the first frame's start to the last frame's start; ffmpeg's loop period is this plus one frame.</summary>
    public double Span => _pts.Length == 0 ? 0 : _pts.Max() - _pts.Min();

    /// <summary>Output time where the picture ends when all packets are kept.</summary>
    public double Length => EndOfPrefix(Count).End;

    /// <summary>
    /// The number of packets to keep so the picture ends as late as possible but not after
    /// <paramref name="length"/> (output time, half a frame of slack). Never running past
    /// the target keeps the output exactly as long as the audio; the price is that with B-frames the video
    /// may end up to one mini-GOP early, where players hold the last frame. Among equal ends the prefix with
    /// no frame missing (no B-frame skipped) and then the shortest wins.
    /// </summary>
    public (int Packets, double End) PrefixFor(double length)
    {
        if (Count == 0)
        {
            return (0, 0);
        }

        var ranks = DisplayRanks();
        var limit = length + (TypicalDuration() / 2);
        var best = (Packets: 1, End: _pts[0] + _durations[0] - Origin, Gaps: int.MaxValue);
        var maxRank = -1;
        var maxEnd = double.MinValue;
        for (var k = 1; k <= Count; k++)
        {
            var i = k - 1;
            maxRank = Math.Max(maxRank, ranks[i]);
            maxEnd = Math.Max(maxEnd, _pts[i] + _durations[i] - Origin);
            if (maxEnd > limit)
            {
                continue;
            }

            var gaps = maxRank + 1 - k;
            if (maxEnd > best.End + 1e-9 || (Math.Abs(maxEnd - best.End) <= 1e-9 && gaps < best.Gaps))
            {
                best = (k, maxEnd, gaps);
            }
        }

        return (best.Packets, best.End);
    }

    /// <summary>
    /// The fewest packets to keep so the picture, with no frame missing, lasts at least <paramref name="length"/>
    /// (half a frame of slack): the other way round from <see cref="PrefixFor"/>, for a picture that must cover its
    /// audio, whose extra frames later stages leave out. Everything when no shorter prefix covers it.
    /// </summary>
    public (int Packets, double End) CoveringPrefixFor(double length)
    {
        var ranks = DisplayRanks();
        var from = length - (TypicalDuration() / 2);
        var maxRank = -1;
        var maxEnd = double.MinValue;
        for (var k = 1; k <= Count; k++)
        {
            maxRank = Math.Max(maxRank, ranks[k - 1]);
            maxEnd = Math.Max(maxEnd, _pts[k - 1] + _durations[k - 1] - Origin);
            if (maxRank + 1 == k && maxEnd >= from)
            {
                return (k, maxEnd);
            }
        }

        return EndOfPrefix(Count);
    }

    /// <summary>
    /// An input "-t" (in output time) that keeps exactly the first <paramref name="packets"/> packets:
    /// for stream copy ffmpeg drops a packet once its decode time reaches the limit, so the limit sits halfway
    /// between the last kept and the first dropped decode time. Null when everything is kept.
    /// </summary>
    public double? DecodeTimeLimit(int packets)
    {
        if (packets >= Count)
        {
            return null;
        }

        var dropped = _dts[packets] - Origin;
        return packets == 0 ? dropped / 2 : (((_dts[packets - 1] - Origin) + dropped) / 2);
    }

    private (int Packets, double End) EndOfPrefix(int k)
    {
        var end = 0.0;
        for (var i = 0; i < k; i++)
        {
            end = Math.Max(end, _pts[i] + _durations[i] - Origin);
        }

        return (k, end);
    }

    private int[] DisplayRanks()
    {
        var order = Enumerable.Range(0, Count).ToArray();
        Array.Sort(order, (a, b) => _pts[a].CompareTo(_pts[b]));
        var ranks = new int[Count];
        for (var r = 0; r < order.Length; r++)
        {
            ranks[order[r]] = r;
        }

        return ranks;
    }

    private double TypicalDuration()
    {
        var sorted = _durations.Where(d => d > 0).Order().ToArray();
        return sorted.Length == 0 ? 0.04 : sorted[sorted.Length / 2];
    }
}
