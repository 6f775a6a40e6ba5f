namespace Pipeline.Encoding.Content.HeadAudio;

/// <summary>Receives each feature vector of <see cref="HeadAudioFrontEnd"/>.</summary>
public interface IHeadAudioFeatureSink
{
    /// <param name="endSeconds">End of the 512-sample block (processor.mjs t); its centre is 16 ms earlier.</param>
    /// <param name="vector">12 tanh-compressed MFCCs; valid only during the call.</param>
    /// <param name="logEnergy">log10 of the block's power (le; 10·le is dB).</param>
    /// <param name="active">false when HeadAudio's VAD gate holds the block silent (the JS skips classification).</param>
    void OnFeature(double endSeconds, ReadOnlySpan<float> vector, double logEnergy, bool active);
}

/// <summary>
/// HeadAudio's processor.mjs signal path for any input rate: pre-emphasis (0.97) at the input rate, then a 32-tap x
/// 64-phase Hamming-windowed-sinc polyphase downsampler to 16 kHz, 512-sample blocks every 256 samples, MFCC with
/// tanh compression, and the VAD gate (vadgate.mjs, default thresholds). The order matters: the model was trained on
/// vectors from this exact path, and pre-emphasis before resampling shapes the spectrum differently than after.
/// Streaming: feed any number of chunks; memory is fixed.
/// </summary>
public sealed class HeadAudioFrontEnd
{
    public const int Hop = 256;
    private const int Taps = 32;
    private const int Phases = 64;
    private const double PreEmphasis = 0.97;

    private readonly float[][] _poly;
    private readonly double[] _ring = new double[Taps]; // a plain Array in the JS: doubles
    private readonly float[] _block = new float[HeadAudioMfcc.N];
    private readonly float[] _vector = new float[HeadAudioMfcc.Coefficients];
    private readonly HeadAudioMfcc _mfcc;
    private readonly VadGate _vad = new();
    private readonly double _step;
    private int _ringHead;
    private int _blockFill;
    private double _phase;
    private float _previous;
    private long _sampleCount;

    public HeadAudioFrontEnd(int inputSampleRate, double speakerMeanHz = 150)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSampleRate, HeadAudioMfcc.SampleRate);
        _step = 1.0 / (inputSampleRate / (double)HeadAudioMfcc.SampleRate);
        _mfcc = new HeadAudioMfcc(speakerMeanHz);
        _poly = DesignPolyphaseFilter();
    }

    /// <summary>16 kHz samples produced so far.</summary>
    public long SampleCount => _sampleCount;

    public void Process(ReadOnlySpan<float> samples, IHeadAudioFeatureSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var x in samples)
        {
            var d0 = x - (PreEmphasis * _previous);
            _previous = x;
            _ring[_ringHead] = d0;
            _ringHead = (_ringHead + 1) % Taps;

            _phase += _step;
            while (_phase >= 1)
            {
                var coeffs = _poly[(int)Math.Floor((_phase - 1) * Phases)];
                var d1 = 0.0;
                for (var j = 0; j < Taps; j++)
                {
                    d1 += _ring[(_ringHead + j) % Taps] * coeffs[j]; // oldest first, as RingBuffer.getHead(j)
                }

                _phase -= 1;
                _block[_blockFill++] = (float)d1; // getLatest copies into a Float32Array block: float32 from here on
                _sampleCount++;
                if (_blockFill == HeadAudioMfcc.N)
                {
                    Emit(sink);
                    Array.Copy(_block, Hop, _block, 0, HeadAudioMfcc.N - Hop);
                    _blockFill = HeadAudioMfcc.N - Hop;
                }
            }
        }
    }

    private void Emit(IHeadAudioFeatureSink sink)
    {
        var le = _mfcc.Compute(_block, _vector);
        for (var j = 0; j < _vector.Length; j++)
        {
            _vector[j] = (float)Math.Tanh(_vector[j]);
        }

        var active = _vad.Process(le);
        sink.OnFeature(_sampleCount / (double)HeadAudioMfcc.SampleRate, _vector, le, active);
    }

    private static float[][] DesignPolyphaseFilter()
    {
        var table = new float[Phases][];
        var mid = (Taps - 1) / 2.0;
        const double cutoff = 0.45;
        for (var p = 0; p < Phases; p++)
        {
            var phase = p / (double)Phases;
            table[p] = new float[Taps];
            for (var i = 0; i < Taps; i++)
            {
                var x = i - mid - phase;
                var c = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
                table[p][i] = (float)((float)c * (0.54 - (0.46 * Math.Cos(2 * Math.PI * i / (Taps - 1)))));
            }
        }

        return table;
    }

    /// <summary>vadgate.mjs with its defaults: active above -40 dB, inactive below -50 dB, 10 ms (one block) each.</summary>
    private sealed class VadGate
    {
        private const double ActiveLe = -4.0;
        private const double InactiveLe = -5.0;
        private const int ActiveFrames = 1;
        private const int InactiveFrames = 1;
        private bool _active;
        private int _preActive;
        private int _preInactive;

        public bool Process(double le)
        {
            if (_active)
            {
                if (le < InactiveLe)
                {
                    if (++_preInactive >= InactiveFrames)
                    {
                        _active = false;
                        _preActive = 0;
                    }
                }
                else if (_preInactive > 0)
                {
                    _preInactive--;
                }
            }
            else if (le > ActiveLe)
            {
                if (++_preActive >= ActiveFrames)
                {
                    _active = true;
                    _preInactive = 0;
                }
            }
            else if (_preActive > 0)
            {
                _preActive--;
            }

            return _active;
        }
    }
}
