using System.Runtime.InteropServices;

namespace Pipeline.Features;

/// <summary>
/// Reads C-order little-endian .npy files: the whole array at once (<see cref="ReadAll{T}"/>, for tests and
/// small arrays) or a row at a time (<see cref="ReadRow{T}"/>, so downstream stages can stream long inputs).
/// </summary>
public sealed class NpyReader : IDisposable
{
    private readonly Stream _stream;
    private long _rowsRead;

    private NpyReader(Stream stream)
    {
        _stream = stream;
        Info = NpyHeader.Read(stream);
        var expected = Info.DataOffset + (Info.ElementCount * Info.DType.ElementSize());
        if (stream.CanSeek && stream.Length < expected)
        {
            throw new NpyFormatException($"npy data is truncated: {stream.Length} bytes, header promises {expected}");
        }
    }

    public NpyArrayInfo Info { get; }

    public static NpyReader Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));

    public static NpyReader Open(Stream stream) => new(stream);

    /// <summary>Reads a whole file into a flat C-order array.</summary>
    public static (T[] Data, NpyArrayInfo Info) Load<T>(string path)
        where T : unmanaged
    {
        using var reader = Open(path);
        return (reader.ReadAll<T>(), reader.Info);
    }

    /// <summary>The remaining data as a flat C-order array.</summary>
    public T[] ReadAll<T>()
        where T : unmanaged
    {
        Check<T>();
        var remaining = (Info.Rows - _rowsRead) * Info.RowElements;
        var data = new T[checked((int)remaining)];
        _stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        _rowsRead = Info.Rows;
        return data;
    }

    /// <summary>Reads the next row into <paramref name="row"/> (length <see cref="NpyArrayInfo.RowElements"/>); false at the end.</summary>
    public bool ReadRow<T>(Span<T> row)
        where T : unmanaged
    {
        Check<T>();
        if (row.Length != Info.RowElements)
        {
            throw new ArgumentException($"a row holds {Info.RowElements} elements, the span {row.Length}", nameof(row));
        }

        if (_rowsRead >= Info.Rows)
        {
            return false;
        }

        _stream.ReadExactly(MemoryMarshal.AsBytes(row));
        _rowsRead++;
        return true;
    }

    public void Dispose() => _stream.Dispose();

    private void Check<T>()
        where T : unmanaged
    {
        var ok = Info.DType switch
        {
            NpyDType.Float32 => typeof(T) == typeof(float),
            NpyDType.UInt8 => typeof(T) == typeof(byte),
            NpyDType.Float64 => typeof(T) == typeof(double),
            NpyDType.Int32 => typeof(T) == typeof(int),
            _ => false,
        };
        if (!ok)
        {
            throw new InvalidOperationException($"the array holds {Info.DType.NumpyName()}, not {typeof(T).Name}");
        }
    }
}
