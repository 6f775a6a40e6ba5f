using System.Buffers.Binary;
using Pipeline.Encoding.Content;
using Pipeline.Encoding.Content.PocketSphinx;

namespace Pipeline.Encoding.Tests;

/// <summary>The buffers behind windowed encoding: bounded retention, and the recogniser's WAV written in blocks.</summary>
public sealed class WindowBufferTests
{
    [Fact]
    public void PoolKeepsNoMoreThanItsLimitAndReusesWhatItKeeps()
    {
        var pool = new SampleBufferPool(maxRetained: 2);
        var rented = Enumerable.Range(0, 5).Select(_ => pool.Rent(1000)).ToList();
        Assert.All(rented, b => Assert.Equal(1024, b.Length));
        rented.ForEach(pool.Return);

        var again = Enumerable.Range(0, 5).Select(_ => pool.Rent(1000)).ToList();
        var reused = again.Count(b => rented.Any(r => ReferenceEquals(r, b)));
        Assert.Equal(2, reused);
    }

    [Fact]
    public void PoolNeverHandsOutABufferTooSmall()
    {
        var pool = new SampleBufferPool(maxRetained: 4);
        pool.Return(pool.Rent(100));
        Assert.True(pool.Rent(5000).Length >= 5000);
    }

    [Fact]
    public async Task WavAcrossBlockBoundariesHoldsEverySampleRoundedAndClipped()
    {
        var samples = new float[100_003];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(1.2 * Math.Sin(i * 0.001)); // overshoots ±1 so clipping is exercised
        }

        var path = Path.Combine(Path.GetTempPath(), $"pcm16-{Guid.NewGuid():N}.wav");
        try
        {
            await Pcm16WavFile.WriteAsync(path, samples, 16000, TestContext.Current.CancellationToken);
            var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(44 + (2 * samples.Length), bytes.Length);
            Assert.Equal(2 * samples.Length, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40)));
            Assert.Equal(16000, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)));
            for (var i = 0; i < samples.Length; i++)
            {
                var expected = (short)Math.Clamp(Math.Round(samples[i] * 32768.0, MidpointRounding.ToEven), short.MinValue, short.MaxValue);
                Assert.Equal(expected, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + (2 * i))));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
