using System.Runtime.InteropServices;

namespace Pipeline.Features;

/// <summary>
/// Streams a C-order array into a .npy file row by row, without knowing the row count up front: the header is
/// written with a placeholder shape, padded to a fixed size, and rewritten in place when the writer completes.
/// Memory is the FileStream's buffer whatever the length.
/// </summary>
public sealed class NpyWriter : IDisposable, IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly long[] _rowShape;
    private readonly long _rowElements;
    private long _elements;
    private bool _completed;

    private NpyWriter(FileStream stream, NpyDType dtype, long[] rowShape)
    {
        if (!BitConverter.IsLittleEndian)
        {
            // We write the in-memory bytes as they are; the descr strings promise little-endian.
            throw new PlatformNotSupportedException("NpyWriter writes native little-endian data only");
        }

        _stream = stream;
        DType = dtype;
        _rowShape = rowShape;
        _rowElements = rowShape.Aggregate(1L, (a, b) => a * b);
        _stream.Write(NpyHeader.Build(dtype, Shape(0)));
    }

    public NpyDType DType { get; }

    public string Path => _stream.Name;

    /// <summary>Whole rows written so far.</summary>
    public long Rows => _rowElements == 0 ? 0 : _elements / _rowElements;

    /// <summary>
    /// Creates (overwrites) <paramref name="path"/> for an array of shape <c>(rows, *rowShape)</c>: no
    /// <paramref name="rowShape"/> means a 1-D array, <c>[80]</c> a 2-D array of 80 columns.
    /// </summary>
    public static NpyWriter Create(string path, NpyDType dtype, params int[] rowShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        foreach (var d in rowShape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d);
        }

        var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        return new NpyWriter(stream, dtype, rowShape.Select(d => (long)d).ToArray());
    }

    public void Write(ReadOnlySpan<float> values)
    {
        Require(NpyDType.Float32);
        WriteBytes(MemoryMarshal.AsBytes(values), values.Length);
    }

    public void Write(ReadOnlySpan<byte> values)
    {
        Require(NpyDType.UInt8);
        WriteBytes(values, values.Length);
    }

    public void Write(ReadOnlySpan<double> values)
    {
        Require(NpyDType.Float64);
        WriteBytes(MemoryMarshal.AsBytes(values), values.Length);
    }

    public void Write(ReadOnlySpan<int> values)
    {
        Require(NpyDType.Int32);
        WriteBytes(MemoryMarshal.AsBytes(values), values.Length);
    }

    public void Write(float value) => Write([value]);

    public void Write(byte value) => Write([value]);

    /// <summary>Rewrites the header with the final shape and flushes. Throws if a partial row was written.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        if (_rowElements != 0 && _elements % _rowElements != 0)
        {
            throw new InvalidOperationException($"{System.IO.Path.GetFileName(Path)}: {_elements} elements is not a whole number of {_rowElements}-element rows");
        }

        _completed = true;
        var end = _stream.Position;
        _stream.Position = 0;
        _stream.Write(NpyHeader.Build(DType, Shape(Rows)));
        _stream.Position = end;
        _stream.Flush();
    }

    public void Dispose()
    {
        try
        {
            Complete();
        }
        finally
        {
            _stream.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private long[] Shape(long rows) => [rows, .. _rowShape];

    private void Require(NpyDType type)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (type != DType)
        {
            throw new InvalidOperationException($"{System.IO.Path.GetFileName(Path)} holds {DType}, not {type}");
        }
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes, int elements)
    {
        _stream.Write(bytes);
        _elements += elements;
    }
}
