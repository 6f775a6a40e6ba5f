namespace Pipeline.Motion.Animate;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny PRNG whose output is fixed by its seed on every machine and
/// runtime. Used instead of <see cref="Random"/> so a job's seed keeps giving the same motion even if .NET ever
/// changes the algorithm behind <c>new Random(seed)</c>; never <see cref="HashCode"/>, which is randomised per process.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    /// <param name="seed">The job's seed.</param>
    /// <param name="stream">Separates the generators that share a seed (pose, blinks), so they are not correlated.</param>
    public SplitMix64(int seed, ulong stream) => _state = ((ulong)(uint)seed << 32 | (uint)seed) ^ stream;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1]: safe to take the logarithm of.</summary>
    public double NextOpenDouble() => 1.0 - NextDouble();
}
