using System.Buffers;
using System.Buffers.Binary;

namespace Pipeline.Encoding.Content.PocketSphinx;

/// <summary>Mono 16-bit PCM WAV from float samples: round to nearest and clip, as ffmpeg's pcm_s16le does without dither.</summary>
public static class Pcm16WavFile
{
    public static async Task WriteAsync(string path, ReadOnlyMemory<float> samples, int sampleRate, CancellationToken ct = default)
    {
        var dataBytes = checked(samples.Length * 2);
        var bytes = ArrayPool<byte>.Shared.Rent(44 + dataBytes);
        try
        {
            Fill(bytes.AsSpan(0, 44 + dataBytes), samples.Span, sampleRate);
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await file.WriteAsync(bytes.AsMemory(0, 44 + dataBytes), ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static void Fill(Span<byte> b, ReadOnlySpan<float> samples, int sampleRate)
    {
        var dataBytes = samples.Length * 2;
        "RIFF"u8.CopyTo(b);
        BinaryPrimitives.WriteInt32LittleEndian(b[4..], 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(b[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(b[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(b[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(b[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(b[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(b[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(b[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(b[34..], 16);
        "data"u8.CopyTo(b[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(b[40..], dataBytes);
        var pcm = b[44..];
        for (var i = 0; i < samples.Length; i++)
        {
            var v = Math.Clamp(MathF.Round(samples[i] * 32768f), short.MinValue, short.MaxValue);
            BinaryPrimitives.WriteInt16LittleEndian(pcm[(2 * i)..], (short)v);
        }
    }
}
