using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Rendering.Exemplars;

/// <summary>
/// The target's own lower-face images, indexed by mouth shape (Video Rewrite's idea): what the exemplar backend draws
/// lips, teeth and mouth interior from. Stored as <see cref="IndexFile"/> (the entries) and <see cref="PixelsFile"/>
/// (their rgb24 crops back to back); the index goes last, so its presence means the bank is complete.
/// </summary>
public sealed class ExemplarBank
{
    public const string IndexFile = "bank.json";
    public const string PixelsFile = "crops.rgb";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly byte[] _pixels;

    public ExemplarBank(int frameWidth, int frameHeight, IReadOnlyList<Exemplar> entries, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(pixels);
        foreach (var e in entries)
        {
            if (e.Offset < 0 || e.Offset + e.Bytes > pixels.Length || e.Landmarks.Length != 136 || e.Shape.Length != ExemplarShape.Length)
            {
                throw new InvalidDataException($"exemplar of frame {e.Frame} does not fit the bank ({pixels.Length} bytes of pixels)");
            }
        }

        (FrameWidth, FrameHeight, Entries, _pixels) = (frameWidth, frameHeight, entries, pixels);
        Shapes = new float[entries.Count * ExemplarShape.Length];
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i].Shape.CopyTo(Shapes, i * ExemplarShape.Length);
        }
    }

    /// <summary>The size of the frames the crops were cut from.</summary>
    public int FrameWidth { get; }

    public int FrameHeight { get; }

    public IReadOnlyList<Exemplar> Entries { get; }

    /// <summary>[entries, <see cref="ExemplarShape.Length"/>] every entry's shape, for the selector.</summary>
    public float[] Shapes { get; }

    public int Count => Entries.Count;

    public ReadOnlySpan<byte> Crop(int index) => _pixels.AsSpan((int)Entries[index].Offset, Entries[index].Bytes);

    public async Task WriteAsync(string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, PixelsFile), _pixels, ct);
        var index = new StoredBank("pipeline.exemplars", 1, FrameWidth, FrameHeight, Entries);
        await using var stream = File.Create(Path.Combine(folder, IndexFile));
        await JsonSerializer.SerializeAsync(stream, index, Json, ct);
    }

    public static async Task<ExemplarBank> ReadAsync(Stream index, Stream pixels, CancellationToken ct)
    {
        var stored = await JsonSerializer.DeserializeAsync<StoredBank>(index, Json, ct)
            ?? throw new InvalidDataException("the exemplar bank index is empty");
        if (stored.Format != "pipeline.exemplars" || stored.SchemaVersion != 1)
        {
            throw new InvalidDataException($"not an exemplar bank this version reads: {stored.Format} v{stored.SchemaVersion}");
        }

        using var buffer = new MemoryStream();
        await pixels.CopyToAsync(buffer, ct);
        return new ExemplarBank(stored.Width, stored.Height, stored.Exemplars, buffer.ToArray());
    }

    private sealed record StoredBank(string Format, int SchemaVersion, int Width, int Height, IReadOnlyList<Exemplar> Exemplars);
}
