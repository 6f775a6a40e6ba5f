namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// Streaming voice activity on the 10 ms analysis frames, with a fixed look-ahead so memory stays constant.
/// <list type="number">
/// <item>Noise floor: starts at the quietest frame of the first second, then follows any quieter frame at once
/// and rises slowly otherwise, so it adapts to background noise without climbing into speech.</item>
/// <item>Raw decision: energy well above the floor (and above an absolute minimum, so digital silence or dither
/// is never speech), or periodic (voiced) with a smaller margin, or strongly periodic and audible.</item>
/// <item>Runs shorter than <see cref="MinRunFrames"/> are dropped (clicks); gaps of up to <see cref="BridgeFrames"/>
/// between confirmed runs are filled (stop closures, brief dips inside words), so the decision does not chatter;
/// longer gaps are pauses and are kept to the frame, because lips close in them. A short pre-roll and hangover
/// cover the weak edges of an utterance.</item>
/// </list>
/// </summary>
public sealed class VoiceActivityDetector
{
    public const int LookAheadFrames = 100;
    public const float OnMarginDb = 12;
    public const float VoicedMarginDb = 6;
    public const float VoicedConfidence = 0.7f;
    public const float AbsoluteMinDbfs = -65;

    /// <summary>
    /// Clearly periodic and clearly audible counts as voice even with no quieter reference: a sustained vowel (or a
    /// test tone) from the first sample has no pause to measure a floor in, yet is plainly not background.
    /// </summary>
    public const float StronglyVoicedConfidence = 0.85f;
    public const float StronglyVoicedMinDbfs = -50;
    public const float FloorRiseDbPerFrame = 0.01f;

    /// <summary>
    /// Speech is within this many dB of the current speech level (the loudest frame nearby, decaying slowly):
    /// breaths and room sound in a pause of a close-miked recording sit 30 dB and more under the voice.
    /// </summary>
    public const float BelowLevelDb = 30;
    public const float LevelDecayDbPerFrame = 0.02f;
    public const int MinRunFrames = 3;
    public const int PreRollFrames = 0;
    public const int HangoverFrames = 1;

    /// <summary>Longest silence inside speech that is still speech: stop closures last up to ~120 ms, pauses more.</summary>
    public const int BridgeFrames = 15;

    /// <summary>Frames between pushing a frame and its final decision being available.</summary>
    public const int Delay = LookAheadFrames + BridgeFrames + 1 + MinRunFrames;

    private const int Reach = BridgeFrames + 1 > PreRollFrames ? BridgeFrames + 1 : PreRollFrames;

    private const int Capacity = 256;

    private readonly float[] _energy = new float[Capacity];
    private readonly float[] _voicing = new float[Capacity];
    private readonly bool[] _confirmed = new bool[Capacity];
    private long _pushed;
    private long _decided;
    private long _finalised;
    private float _floor;
    private float _level = float.MinValue;
    private int _run;
    private bool _ended;

    public long Pushed => _pushed;

    public long Finalised => _finalised;

    public void Push(float energyDbfs, float voicingConfidence)
    {
        if (_ended)
        {
            throw new InvalidOperationException("the detector has ended");
        }

        if (_pushed - _finalised >= Capacity - Reach - HangoverFrames - 1)
        {
            throw new InvalidOperationException("take finalised decisions before pushing more frames");
        }

        var slot = (int)(_pushed % Capacity);
        _energy[slot] = energyDbfs;
        _voicing[slot] = voicingConfidence;
        _confirmed[slot] = false;
        _pushed++;
        while (_decided < _pushed - LookAheadFrames)
        {
            Decide();
        }
    }

    /// <summary>No more frames: everything pushed can now be decided.</summary>
    public void End()
    {
        _ended = true;
        while (_decided < _pushed)
        {
            Decide();
        }
    }

    /// <summary>Takes the next final decision, if its look-ahead is complete.</summary>
    public bool TryTake(out bool active)
    {
        var ready = _ended ? _pushed : _decided - Reach - MinRunFrames + 1;
        if (_finalised >= ready)
        {
            active = false;
            return false;
        }

        var t = _finalised;
        active = Any(t - HangoverFrames, t + PreRollFrames);
        if (!active)
        {
            // Inside a short gap: confirmed speech on both sides, no more than BridgeFrames apart.
            var before = Last(t - BridgeFrames, t);
            var after = First(t, t + BridgeFrames);
            active = before >= 0 && after >= 0 && after - before - 1 <= BridgeFrames;
        }

        _finalised++;
        return true;
    }

    private bool Any(long from, long to) => First(from, to) >= 0;

    /// <summary>First confirmed frame in [from, to] among those decided, or -1.</summary>
    private long First(long from, long to)
    {
        from = Math.Max(from, Math.Max(0, _finalised - HangoverFrames - BridgeFrames));
        to = Math.Min(to, _decided - 1);
        for (var j = from; j <= to; j++)
        {
            if (_confirmed[j % Capacity])
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>Last confirmed frame in [from, to] among those decided, or -1.</summary>
    private long Last(long from, long to)
    {
        from = Math.Max(from, Math.Max(0, _finalised - HangoverFrames - BridgeFrames));
        to = Math.Min(to, _decided - 1);
        for (var j = to; j >= from; j--)
        {
            if (_confirmed[j % Capacity])
            {
                return j;
            }
        }

        return -1;
    }

    private void Decide()
    {
        var t = _decided;
        var slot = (int)(t % Capacity);
        if (t == 0)
        {
            // Start from the quietest frame in the look-ahead: the first second rarely lacks any pause.
            _floor = float.MaxValue;
            for (var j = 0L; j < Math.Min(_pushed, LookAheadFrames + 1); j++)
            {
                _floor = Math.Min(_floor, _energy[j % Capacity]);
            }
        }

        var e = _energy[slot];
        _floor = e < _floor ? e : _floor + FloorRiseDbPerFrame;

        // The level looks ahead too, so a soft onset is judged against the speech that follows it.
        _level -= LevelDecayDbPerFrame;
        for (var j = t; j < Math.Min(_pushed, t + LookAheadFrames + 1); j++)
        {
            _level = Math.Max(_level, _energy[j % Capacity]);
        }

        var loud = e > AbsoluteMinDbfs && e > _level - BelowLevelDb;
        var v = _voicing[slot];
        var raw = loud && (e > _floor + OnMarginDb
            || (v >= VoicedConfidence && e > _floor + VoicedMarginDb)
            || (v >= StronglyVoicedConfidence && e > StronglyVoicedMinDbfs));
        if (raw)
        {
            _run++;
            if (_run == MinRunFrames)
            {
                for (var j = t - MinRunFrames + 1; j <= t; j++)
                {
                    _confirmed[j % Capacity] = true;
                }
            }
            else if (_run > MinRunFrames)
            {
                _confirmed[slot] = true;
            }
        }
        else
        {
            _run = 0;
        }

        _decided++;
    }
}
