using System.Buffers.Binary;
using System.Text;
using Pipeline.Features;
using Pipeline.TestSupport;

namespace Pipeline.AudioFeatures.Tests;

public sealed class NpyTests
{
    [Fact]
    public void A_streamed_float_matrix_round_trips_with_a_valid_header()
    {
        using var scratch = new ScratchDirectory("npy");
        var path = scratch.File("m.npy");
        using (var writer = NpyWriter.Create(path, NpyDType.Float32, 3))
        {
            for (var r = 0; r < 1000; r++)
            {
                writer.Write([r, r + 0.5f, -r]);
            }
        }

        var bytes = File.ReadAllBytes(path);
        AssertHeader(bytes, "<f4", "(1000, 3)");
        Assert.Equal(NpyHeader.WriterHeaderBytes + (1000 * 3 * 4), bytes.Length);

        var (data, info) = NpyReader.Load<float>(path);
        Assert.Equal([1000L, 3L], info.Shape);
        Assert.Equal(NpyDType.Float32, info.DType);
        Assert.Equal([999f, 999.5f, -999f], data[^3..]);

        using var reader = NpyReader.Open(path);
        var row = new float[3];
        var rows = 0;
        while (reader.ReadRow<float>(row))
        {
            Assert.Equal(rows + 0.5f, row[1]);
            rows++;
        }

        Assert.Equal(1000, rows);
    }

    [Fact]
    public void A_uint8_vector_round_trips()
    {
        using var scratch = new ScratchDirectory("npy");
        var path = scratch.File("v.npy");
        using (var writer = NpyWriter.Create(path, NpyDType.UInt8))
        {
            writer.Write((ReadOnlySpan<byte>)[1, 0, 1]);
            writer.Write((byte)1);
        }

        AssertHeader(File.ReadAllBytes(path), "|u1", "(4,)");
        var (data, info) = NpyReader.Load<byte>(path);
        Assert.Equal([4L], info.Shape);
        Assert.Equal([1, 0, 1, 1], data);
    }

    [Fact]
    public void An_empty_array_is_valid()
    {
        using var scratch = new ScratchDirectory("npy");
        var path = scratch.File("e.npy");
        NpyWriter.Create(path, NpyDType.Float32, 80).Dispose();

        AssertHeader(File.ReadAllBytes(path), "<f4", "(0, 80)");
        var (data, info) = NpyReader.Load<float>(path);
        Assert.Empty(data);
        Assert.Equal([0L, 80L], info.Shape);
    }

    [Fact]
    public void Reads_a_header_as_numpy_writes_it()
    {
        // np.save of np.arange(3, dtype='<f4'): the dict padded with spaces to a 64-byte boundary (128 bytes here).
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
        var header = new byte[128];
        header[0] = 0x93;
        "NUMPY"u8.CopyTo(header.AsSpan(1));
        header[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), 118);
        Encoding.ASCII.GetBytes(dict.PadRight(117) + "\n").CopyTo(header, 10);
        var data = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(0), 0);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), 1);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(8), 2);

        using var reader = NpyReader.Open(new MemoryStream([.. header, .. data]));
        Assert.Equal([3L], reader.Info.Shape);
        Assert.Equal([0f, 1f, 2f], reader.ReadAll<float>());
    }

    [Fact]
    public void Rejects_what_it_cannot_read()
    {
        Assert.Throws<NpyFormatException>(() => NpyReader.Open(new MemoryStream(Encoding.ASCII.GetBytes("not an npy file at all"))));
        var fortran = NpyHeader.Build(NpyDType.Float32, [2, 2]);
        var text = Encoding.ASCII.GetString(fortran).Replace("False", "True ", StringComparison.Ordinal);
        Assert.Throws<NpyFormatException>(() => NpyReader.Open(new MemoryStream(Encoding.Latin1.GetBytes(text))));
        using var scratch = new ScratchDirectory("npy");
        var path = scratch.File("x.npy");
        using var writer = NpyWriter.Create(path, NpyDType.Float32, 3);
        Assert.Throws<InvalidOperationException>(() => writer.Write((byte)1));
        writer.Write([1f, 2f]);
        Assert.Throws<InvalidOperationException>(writer.Complete);
        writer.Write(3f);
    }

    /// <summary>The NPY 1.0 rules: magic, version, little-endian length, data 64-byte aligned, dict ends in '\n'.</summary>
    private static void AssertHeader(byte[] bytes, string descr, string shape)
    {
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        Assert.Equal(1, bytes[6]);
        Assert.Equal(0, bytes[7]);
        var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + length) % 64);
        var dict = Encoding.ASCII.GetString(bytes, 10, length);
        Assert.EndsWith("\n", dict, StringComparison.Ordinal);
        Assert.Equal($"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}", dict.TrimEnd());
    }
}
