using System.Security.Cryptography;
using Pipeline.Encoding;

namespace Pipeline.Cli.Eval;

/// <summary>
/// Prepared clips kept between eval runs (<c>--cache DIR</c>): tracking and speech recognition are most of an
/// eval's time and do not change when only the motion models do. A clip is keyed by its path, size, modification
/// time, <see cref="Version"/>, which changes whenever preparation changes what it produces, and the content
/// encoder's version and recogniser settings, so a change to speech recognition is not hidden by an older clip.
/// </summary>
public sealed class ClipCache(string folder, string recognizerSettings)
{
    private const int Version = 2;

    public string PathFor(string videoPath)
    {
        var file = new FileInfo(videoPath);
        var id = $"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}|{Version}|{EncodeContentAndEmotionConsumer.ContentVersion}|{recognizerSettings}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))[..16];
        return Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(videoPath)}-{hash}.clip");
    }

    public ClipData? TryLoad(string videoPath)
    {
        var path = PathFor(videoPath);
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new BinaryReader(File.OpenRead(path));
        return new ClipData(
            reader.ReadString(), reader.ReadInt32(), reader.ReadDouble(),
            ReadFloats(reader), ReadBytes(reader), ReadFloats(reader), ReadFloats(reader), ReadFloats(reader), ReadBytes(reader),
            reader.ReadInt32(), reader.ReadInt32(), ReadDoubles(reader));
    }

    public void Save(string videoPath, ClipData clip)
    {
        Directory.CreateDirectory(folder);
        var path = PathFor(videoPath);
        var temp = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temp)))
        {
            writer.Write(clip.Name);
            writer.Write(clip.Frames);
            writer.Write(clip.Fps);
            WriteFloats(writer, clip.Faces);
            WriteBytes(writer, clip.Valid);
            WriteFloats(writer, clip.Visemes);
            WriteFloats(writer, clip.Mfcc);
            WriteFloats(writer, clip.EnergyDbfs);
            WriteBytes(writer, clip.Vad);
            writer.Write(clip.Width);
            writer.Write(clip.Height);
            writer.Write(clip.ToCanonical.Length);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(clip.ToCanonical.AsSpan()));
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static void WriteBytes(BinaryWriter writer, byte[] values)
    {
        writer.Write(values.Length);
        writer.Write(values);
    }

    private static float[] ReadFloats(BinaryReader reader)
    {
        var values = new float[reader.ReadInt32()];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static double[] ReadDoubles(BinaryReader reader)
    {
        var values = new double[reader.ReadInt32()];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static byte[] ReadBytes(BinaryReader reader) => reader.ReadBytes(reader.ReadInt32());
}
