namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// The streaming state of one extraction. Samples flow through three stages with bounded look-ahead:
/// 10 ms analysis frames (spectrum, MFCC, energy, YIN) into a ring; deltas and voice activity once their
/// look-ahead has arrived; then video frames, interpolated from the ring at their centres. Wav2Lip frames run
/// beside them on their own 80 Hz clock. Every buffer is sized at the start: memory does not depend on length.
/// </summary>
internal sealed class ExtractionSession : IDisposable
{
    private const int SampleRate = SpectralFrameAnalyzer.SampleRate;
    private const int Hop = SpectralFrameAnalyzer.Hop;
    private const int Mels = SpectralFrameAnalyzer.MelBands;
    private const int Ceps = SpectralFrameAnalyzer.MfccCount;
    private const int DeltaReach = 2;
    private const int SpectralLeft = SpectralFrameAnalyzer.WindowLength / 2;
    private const int YinLeft = YinPitch.FrameLength / 2;
    private const int W2LHalf = Wav2LipMel.FftSize / 2;

    /// <summary>Energy floor (mean square) before the dB conversion: -120 dBFS, so digital silence stays finite.</summary>
    private const float MeanSquareFloor = 1e-12f;

    private readonly VideoFrameClock _clock;
    private readonly FeatureWriters _writers;
    private readonly SampleWindow _samples = new(16384);
    private readonly SpectralFrameAnalyzer _spectral = new();
    private readonly YinPitch _yin = new();
    private readonly Wav2LipMel _wav2Lip = new();
    private readonly VoiceActivityDetector _vad = new();

    private readonly int _ring;
    private readonly float[] _logMel;
    private readonly float[] _mfcc;
    private readonly float[] _delta;
    private readonly float[] _delta2;
    private readonly float[] _meanSquare;
    private readonly float[] _f0;
    private readonly float[] _voicing;
    private readonly bool[] _active;

    private readonly float[] _spectralFrame = new float[SpectralFrameAnalyzer.WindowLength];
    private readonly float[] _yinFrame = new float[YinPitch.FrameLength];
    private readonly float[] _w2lFrame = new float[Wav2LipMel.FftSize];
    private readonly float[] _w2lRow = new float[Wav2LipMel.Bands];
    private readonly float[] _melRow = new float[Mels];
    private readonly float[] _mfccRow = new float[3 * Ceps];

    private long _computed;
    private long _deltaDone;
    private long _delta2Done;
    private long _vadDone;
    private long _video;
    private long _w2l;

    // Known only at the end of the input.
    private long _analysisFrames = -1;
    private long _videoFrames = -1;
    private long _w2lFrames = -1;

    public ExtractionSession(VideoFrameClock clock, string directory)
    {
        _clock = clock;

        // The ring must hold every analysis frame a pending video frame can still need: its own span, the
        // deltas' reach and the VAD's look-ahead, with room to spare.
        var span = (int)Math.Ceiling((double)VideoFrameClock.AnalysisRate * clock.Denominator / clock.Numerator) + 2;
        _ring = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(span + VoiceActivityDetector.Delay + (4 * DeltaReach) + 32));
        _logMel = new float[_ring * Mels];
        _mfcc = new float[_ring * Ceps];
        _delta = new float[_ring * Ceps];
        _delta2 = new float[_ring * Ceps];
        _meanSquare = new float[_ring];
        _f0 = new float[_ring];
        _voicing = new float[_ring];
        _active = new bool[_ring];
        _writers = new FeatureWriters(directory);
    }

    public long SamplesReceived => _samples.End;

    public long VideoFrames => _video;

    public long Wav2LipFrames => _w2l;

    public long VoicedFrames { get; private set; }

    public long ActiveFrames { get; private set; }

    /// <summary>Where the next read should land.</summary>
    public Memory<float> NextReadBuffer()
    {
        var keep = Math.Min((_computed * Hop) - YinLeft, (_w2l * Wav2LipMel.Hop) - W2LHalf) - 2;
        return _samples.FreeSpace(Math.Max(0, keep));
    }

    public void Commit(int samples)
    {
        _samples.Commit(samples);
        Pump();
    }

    /// <summary>The input has ended: flush every stage and complete the files.</summary>
    public void Finish()
    {
        _samples.MarkEnded();
        var n = _samples.End;
        _analysisFrames = (n + Hop - 1) / Hop;
        _videoFrames = _clock.FrameCount(n, SampleRate);
        _w2lFrames = Wav2LipMel.FrameCount(n);
        Pump();
        if (_video != _videoFrames || _w2l != _w2lFrames)
        {
            throw new InvalidOperationException($"feature stream stalled at video frame {_video}/{_videoFrames}, mel frame {_w2l}/{_w2lFrames}");
        }

        _writers.Complete();
    }

    public void Dispose() => _writers.Dispose();

    private bool Ended => _analysisFrames >= 0;

    private void Pump()
    {
        while (_w2l < (Ended ? _w2lFrames : (_samples.End - W2LHalf) / Wav2LipMel.Hop))
        {
            WriteWav2LipFrame();
        }

        while (true)
        {
            var computedOne = false;
            if (CanCompute())
            {
                ComputeAnalysisFrame();
                computedOne = true;
            }

            if (Ended && _computed == _analysisFrames && _vad.Pushed == _computed)
            {
                _vad.End();
            }

            AdvanceDeltas();
            while (_vad.TryTake(out var active))
            {
                _active[_vadDone % _ring] = active;
                _vadDone++;
            }

            while (TryWriteVideoFrame())
            {
            }

            if (!computedOne)
            {
                return;
            }
        }
    }

    private bool CanCompute()
    {
        var available = Ended
            ? _computed < _analysisFrames
            : (_computed * Hop) - YinLeft + YinPitch.FrameLength <= _samples.End;
        if (!available)
        {
            return false;
        }

        // Never overwrite a ring slot the next video frame still needs.
        var oldest = Math.Min(_clock.FirstAnalysisFrameIn(_video), (long)_clock.CentreAnalysisPosition(_video));
        return _computed - oldest < _ring;
    }

    private void ComputeAnalysisFrame()
    {
        var k = _computed;
        var slot = (int)(k % _ring);
        var centre = k * Hop;
        _samples.CopyZeroPadded(centre - SpectralLeft, _spectralFrame);
        var meanSquare = _spectral.Analyse(_spectralFrame, _logMel.AsSpan(slot * Mels, Mels), _mfcc.AsSpan(slot * Ceps, Ceps));
        var db = Dbfs(meanSquare);
        _samples.CopyZeroPadded(centre - YinLeft, _yinFrame);
        var (f0, confidence) = _yin.Estimate(_yinFrame, db);
        _meanSquare[slot] = meanSquare;
        _f0[slot] = f0;
        _voicing[slot] = confidence;
        _vad.Push(db, confidence);
        _computed++;
    }

    private void AdvanceDeltas()
    {
        var allComputed = Ended && _computed == _analysisFrames;
        while (_deltaDone < _computed && (allComputed || _deltaDone + DeltaReach < _computed))
        {
            Regression(_mfcc, _delta, _deltaDone, _computed);
            _deltaDone++;
        }

        var allDeltas = allComputed && _deltaDone == _analysisFrames;
        while (_delta2Done < _deltaDone && (allDeltas || _delta2Done + DeltaReach < _deltaDone))
        {
            Regression(_delta, _delta2, _delta2Done, _deltaDone);
            _delta2Done++;
        }
    }

    /// <summary>HTK/librosa delta: sum_n n (c[t+n] - c[t-n]) / (2 sum_n n^2) for n = 1..2, edges repeated.</summary>
    private void Regression(float[] source, float[] target, long t, long available)
    {
        var output = target.AsSpan((int)(t % _ring) * Ceps, Ceps);
        output.Clear();
        const float norm = 2f * ((1 * 1) + (2 * 2));
        for (var n = 1; n <= DeltaReach; n++)
        {
            var ahead = source.AsSpan((int)(Math.Min(t + n, available - 1) % _ring) * Ceps, Ceps);
            var behind = source.AsSpan((int)(Math.Max(t - n, 0) % _ring) * Ceps, Ceps);
            for (var c = 0; c < Ceps; c++)
            {
                output[c] += n * (ahead[c] - behind[c]) / norm;
            }
        }
    }

    private bool TryWriteVideoFrame()
    {
        if (Ended && _video >= _videoFrames)
        {
            return false;
        }

        var i = _video;
        var position = _clock.CentreAnalysisPosition(i);
        var k0 = (long)Math.Floor(position);
        var spanStart = _clock.FirstAnalysisFrameIn(i);
        var spanEnd = _clock.FirstAnalysisFrameIn(i + 1);
        var need = Math.Max(Math.Max(k0 + 1, spanEnd - 1), (long)Math.Round(position, MidpointRounding.AwayFromZero));
        if (Ended)
        {
            need = Math.Min(need, _analysisFrames - 1);
        }

        if (need >= _delta2Done || need >= _vadDone)
        {
            return false;
        }

        var last = Ended ? _analysisFrames - 1 : long.MaxValue;
        var a = (int)(Math.Min(k0, last) % _ring);
        var b = (int)(Math.Min(k0 + 1, last) % _ring);
        var w = (float)(position - k0);

        Lerp(_logMel.AsSpan(a * Mels, Mels), _logMel.AsSpan(b * Mels, Mels), w, _melRow);
        _writers.Mel80.Write(_melRow);

        var row = _mfccRow.AsSpan();
        Lerp(_mfcc.AsSpan(a * Ceps, Ceps), _mfcc.AsSpan(b * Ceps, Ceps), w, row[..Ceps]);
        Lerp(_delta.AsSpan(a * Ceps, Ceps), _delta.AsSpan(b * Ceps, Ceps), w, row.Slice(Ceps, Ceps));
        Lerp(_delta2.AsSpan(a * Ceps, Ceps), _delta2.AsSpan(b * Ceps, Ceps), w, row.Slice(2 * Ceps, Ceps));
        _writers.Mfcc.Write(_mfccRow);

        // Energy is interpolated as power, then expressed in dB.
        _writers.Energy.Write(Dbfs(_meanSquare[a] + (w * (_meanSquare[b] - _meanSquare[a]))));

        // F0 is interpolated only between two voiced frames; across a voicing edge the nearer frame decides.
        var f0 = _f0[a] > 0 && _f0[b] > 0 ? _f0[a] + (w * (_f0[b] - _f0[a])) : (w < 0.5f ? _f0[a] : _f0[b]);
        _writers.F0.Write(f0);
        _writers.Voicing.Write(_voicing[a] + (w * (_voicing[b] - _voicing[a])));

        var active = VideoFrameActive(spanStart, spanEnd, position, last);
        _writers.Vad.Write(active ? (byte)1 : (byte)0);

        VoicedFrames += f0 > 0 ? 1 : 0;
        ActiveFrames += active ? 1 : 0;
        _video++;
        return true;
    }

    /// <summary>
    /// A video frame is active when most analysis frames inside it are; a tie, or a frame too short to hold
    /// any (above 100 fps), takes the analysis frame nearest its centre.
    /// </summary>
    private bool VideoFrameActive(long spanStart, long spanEnd, double position, long last)
    {
        spanEnd = Math.Min(spanEnd, last + 1);
        var count = 0;
        var activeCount = 0;
        for (var k = spanStart; k < spanEnd; k++)
        {
            count++;
            activeCount += _active[k % _ring] ? 1 : 0;
        }

        if (2 * activeCount != count)
        {
            return 2 * activeCount > count;
        }

        var nearest = Math.Min((long)Math.Round(position, MidpointRounding.AwayFromZero), last);
        return _active[nearest % _ring];
    }

    private void WriteWav2LipFrame()
    {
        _samples.CopyPreEmphasisedReflected((_w2l * Wav2LipMel.Hop) - W2LHalf, _w2lFrame, Wav2LipMel.PreEmphasis);
        _wav2Lip.Compute(_w2lFrame, _w2lRow);
        _writers.Wav2LipMel.Write(_w2lRow);
        _w2l++;
    }

    private static void Lerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float w, Span<float> output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = a[i] + (w * (b[i] - a[i]));
        }
    }

    private static float Dbfs(float meanSquare) => 10f * MathF.Log10(MathF.Max(meanSquare, MeanSquareFloor));
}
