namespace Pipeline.FaceGeometry.Tests;

/// <summary>
/// Reads the mean shape that dlib's trainer stores first in a serialised <c>shape_predictor</c>
/// (after the version integer): a 136x1 float matrix of box-normalised x, y pairs. Only as much of
/// dlib's serialisation as that needs: integers are a control byte (low nibble = byte count, bit 7 =
/// negative) then little-endian bytes; a float is an int64 mantissa and an int16 exponent.
/// </summary>
internal static class DlibMeanShape
{
    public const string DebianModelPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

    public static double[] Read(string path)
    {
        using var stream = File.OpenRead(path);
        var version = ReadInt(stream);
        if (version != 1)
        {
            throw new InvalidDataException($"unexpected shape_predictor version {version}");
        }

        // Matrices are written with negated dimensions (dlib's marker for the current format).
        var rows = Math.Abs(ReadInt(stream));
        var cols = Math.Abs(ReadInt(stream));
        if (rows != 136 || cols != 1)
        {
            throw new InvalidDataException($"expected a 136x1 initial shape, found {rows}x{cols}");
        }

        var values = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var mantissa = ReadInt(stream);
            var exponent = ReadInt(stream);
            values[i] = mantissa * Math.Pow(2, exponent);
        }

        return values;
    }

    private static long ReadInt(Stream stream)
    {
        var control = stream.ReadByte();
        if (control < 0)
        {
            throw new EndOfStreamException();
        }

        var size = control & 0x0f;
        if (size > 8)
        {
            throw new InvalidDataException($"bad integer size {size}");
        }

        ulong value = 0;
        for (var b = 0; b < size; b++)
        {
            var next = stream.ReadByte();
            if (next < 0)
            {
                throw new EndOfStreamException();
            }

            value |= (ulong)next << (8 * b);
        }

        return (control & 0x80) != 0 ? -(long)value : (long)value;
    }
}
