using System.Buffers.Binary;

namespace Pipeline.Encoding.Content.HeadAudio;

/// <summary>
/// Reader for HeadAudio's binary model (dist/model-en-mixed.bin): a plain sequence of 368-byte records, no file
/// header. Per record (HeadAudio README appendix B, training.mjs decodeBinaryRecord):
/// bytes 0-3 the phoneme as two UTF-16 code units packed big-endian (DataView's default), byte 4 reserved,
/// byte 5 group, byte 6 reserved, byte 7 viseme id, then 12 float32 means and 78 float32 inverse-covariance lower
/// triangle entries, little-endian (a Float32Array view on the host).
/// </summary>
public sealed class HeadAudioModel
{
    public const int Dimensions = 12;
    public const int LowerLength = Dimensions * (Dimensions + 1) / 2;
    public const int RecordBytes = 8 + (4 * Dimensions) + (4 * LowerLength);

    private HeadAudioModel(IReadOnlyList<HeadAudioPrototype> prototypes) => Prototypes = prototypes;

    public IReadOnlyList<HeadAudioPrototype> Prototypes { get; }

    public static HeadAudioModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"HeadAudio model not found at {path}: run infra/fetch-headaudio.sh or set {HeadAudioModelLocator.Variable}", path);
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    public static HeadAudioModel Parse(ReadOnlySpan<byte> bytes, string source = "model")
    {
        var prototypes = new List<HeadAudioPrototype>();
        // As training.mjs loadModel: whole records only; a short tail is ignored.
        for (var pos = 0; pos + RecordBytes <= bytes.Length; pos += RecordBytes)
        {
            prototypes.Add(ParseRecord(bytes.Slice(pos, RecordBytes), source, prototypes.Count));
        }

        if (prototypes.Count == 0)
        {
            throw new InvalidDataException($"HeadAudio model {source} holds no prototypes ({bytes.Length} bytes; a record is {RecordBytes})");
        }

        return new HeadAudioModel(prototypes);
    }

    private static HeadAudioPrototype ParseRecord(ReadOnlySpan<byte> record, string source, int index)
    {
        var packed = BinaryPrimitives.ReadUInt32BigEndian(record);
        var ph1 = (char)(packed >> 16);
        var ph2 = (char)(packed & 0xFFFF);
        var phoneme = ph2 == 0 ? ph1.ToString() : string.Concat(ph1.ToString(), ph2.ToString());
        var group = record[5];
        var viseme = record[7];
        if (viseme >= HeadAudioVisemes.Count)
        {
            throw new InvalidDataException($"HeadAudio model {source}: prototype {index} has viseme id {viseme} (at most {HeadAudioVisemes.Count - 1})");
        }

        var mu = new float[Dimensions];
        var lower = new float[LowerLength];
        for (var i = 0; i < Dimensions; i++)
        {
            mu[i] = BinaryPrimitives.ReadSingleLittleEndian(record[(8 + (4 * i))..]);
        }

        for (var i = 0; i < LowerLength; i++)
        {
            lower[i] = BinaryPrimitives.ReadSingleLittleEndian(record[(8 + (4 * Dimensions) + (4 * i))..]);
        }

        if (!mu.All(float.IsFinite) || !lower.All(float.IsFinite))
        {
            throw new InvalidDataException($"HeadAudio model {source}: prototype {index} holds a non-finite number");
        }

        return new HeadAudioPrototype(phoneme, group, viseme, mu, lower);
    }
}
