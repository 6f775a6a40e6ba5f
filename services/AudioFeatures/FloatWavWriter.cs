using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pipeline.AudioFeatures;

/// <summary>
/// Writes interleaved float32 PCM as a WAVE_FORMAT_IEEE_FLOAT file while it streams in, patching the sizes at
/// the end, so a three-hour track never sits in memory. Float keeps the decoder's output bit-exact (no dither).
/// </summary>
public sealed class FloatWavWriter : IAsyncDisposable
{
    private const int HeaderBytes = 58; // RIFF + fmt (18-byte extensible-less IEEE float) + fact + data headers
    private readonly Stream _stream;
    private readonly int _sampleRate;
    private readonly short _channels;
    private long _dataBytes;

    public FloatWavWriter(Stream stream, int sampleRate, int channels)
    {
        _stream = stream;
        _sampleRate = sampleRate;
        _channels = checked((short)channels);
        _stream.Write(new byte[HeaderBytes]);
    }

    public long SamplesPerChannel => _dataBytes / sizeof(float) / _channels;

    /// <summary>Appends samples. WAV's 32-bit sizes cap a file at 4 GiB: over three hours of 48 kHz stereo float.</summary>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        _dataBytes += interleaved.Length * sizeof(float);
        if (_dataBytes > uint.MaxValue - HeaderBytes)
        {
            throw new InvalidOperationException("audio too long for one WAV file (over 4 GiB of samples)");
        }

        _stream.Write(MemoryMarshal.AsBytes(interleaved));
    }

    public async ValueTask DisposeAsync()
    {
        var header = new byte[HeaderBytes];
        WriteHeader(header);
        _stream.Seek(0, SeekOrigin.Begin);
        await _stream.WriteAsync(header);
        await _stream.FlushAsync();
        await _stream.DisposeAsync();
    }

    private void WriteHeader(Span<byte> h)
    {
        var dataBytes = (uint)_dataBytes;
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], dataBytes + HeaderBytes - 8);
        "WAVE"u8.CopyTo(h[8..]);
        "fmt "u8.CopyTo(h[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 18);
        BinaryPrimitives.WriteUInt16LittleEndian(h[20..], 3); // WAVE_FORMAT_IEEE_FLOAT
        BinaryPrimitives.WriteUInt16LittleEndian(h[22..], (ushort)_channels);
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], (uint)_sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(h[28..], (uint)(_sampleRate * _channels * sizeof(float)));
        BinaryPrimitives.WriteUInt16LittleEndian(h[32..], (ushort)(_channels * sizeof(float)));
        BinaryPrimitives.WriteUInt16LittleEndian(h[34..], 32);
        BinaryPrimitives.WriteUInt16LittleEndian(h[36..], 0); // cbSize
        "fact"u8.CopyTo(h[38..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[42..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(h[46..], (uint)Math.Min(SamplesPerChannel, uint.MaxValue));
        "data"u8.CopyTo(h[50..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[54..], dataBytes);
    }
}
