namespace Pipeline.Features;

/// <summary>The element types our artifacts use, with their NumPy <c>descr</c> strings (always little-endian).</summary>
public enum NpyDType
{
    Float32,
    UInt8,
    Float64,
    Int32,
}

public static class NpyDTypes
{
    public static string Descr(this NpyDType type) => type switch
    {
        NpyDType.Float32 => "<f4",
        NpyDType.UInt8 => "|u1",
        NpyDType.Float64 => "<f8",
        NpyDType.Int32 => "<i4",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static int ElementSize(this NpyDType type) => type switch
    {
        NpyDType.Float32 => 4,
        NpyDType.UInt8 => 1,
        NpyDType.Float64 => 8,
        NpyDType.Int32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The NumPy dtype name as a Python user would write it (<c>float32</c>, <c>uint8</c>...).</summary>
    public static string NumpyName(this NpyDType type) => type switch
    {
        NpyDType.Float32 => "float32",
        NpyDType.UInt8 => "uint8",
        NpyDType.Float64 => "float64",
        NpyDType.Int32 => "int32",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static NpyDType Parse(string descr) => descr switch
    {
        "<f4" => NpyDType.Float32,
        "|u1" or "<u1" or "u1" => NpyDType.UInt8,
        "<f8" => NpyDType.Float64,
        "<i4" => NpyDType.Int32,
        _ => throw new NpyFormatException($"unsupported npy dtype '{descr}' (only little-endian f4, f8, i4 and u1)"),
    };
}
