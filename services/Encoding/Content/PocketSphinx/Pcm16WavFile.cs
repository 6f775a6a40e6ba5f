using System.Buffers;
using System.Buffers.Binary;

namespace Pipeline.Encoding.Content.PocketSphinx;

/// <summary>Mono 16-bit PCM WAV from float samples: round to nearest and clip, as ffmpeg's pcm_s16le does without dither.</summary>
public static class Pcm16WavFile
{
    private const int BlockSamples = 32 * 1024;

    public static async Task WriteAsync(string path, ReadOnlyMemory<float> samples, int sampleRate, CancellationToken ct = default)
    {
        // Written in 64 KB blocks: a whole-window byte buffer (2 MB per minute) rented on recogniser threads would
        // stay in the shared pool's per-thread caches for the life of the process.
        var bytes = ArrayPool<byte>.Shared.Rent(2 * BlockSamples);
        try
        {
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            WriteHeader(bytes.AsSpan(0, 44), samples.Length, sampleRate);
            await file.WriteAsync(bytes.AsMemory(0, 44), ct).ConfigureAwait(false);
            for (var offset = 0; offset < samples.Length; offset += BlockSamples)
            {
                var n = Math.Min(BlockSamples, samples.Length - offset);
                ToPcm16(samples.Span.Slice(offset, n), bytes.AsSpan(0, 2 * n));
                await file.WriteAsync(bytes.AsMemory(0, 2 * n), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static void WriteHeader(Span<byte> b, int sampleCount, int sampleRate)
    {
        var dataBytes = checked(sampleCount * 2);
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
    }

    private static void ToPcm16(ReadOnlySpan<float> samples, Span<byte> pcm)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            var v = Math.Clamp(MathF.Round(samples[i] * 32768f), short.MinValue, short.MaxValue);
            BinaryPrimitives.WriteInt16LittleEndian(pcm[(2 * i)..], (short)v);
        }
    }
}
