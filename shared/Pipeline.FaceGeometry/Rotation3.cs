namespace Pipeline.FaceGeometry;

/// <summary>
/// 3x3 rotation helpers on row-major spans of nine doubles: Rodrigues vectors and the yaw/pitch/roll
/// convention of <see cref="HeadPose"/>. Spans, not a matrix type, so the PnP loop stays on the stack.
/// </summary>
internal static class Rotation3
{
    /// <summary>R = Rz(roll)·Ry(yaw)·Rx(pitch), angles in radians.</summary>
    public static void FromEuler(double yaw, double pitch, double roll, Span<double> r)
    {
        double cy = Math.Cos(yaw), sy = Math.Sin(yaw);
        double cp = Math.Cos(pitch), sp = Math.Sin(pitch);
        double cr = Math.Cos(roll), sr = Math.Sin(roll);
        r[0] = cr * cy;
        r[1] = cr * sy * sp - sr * cp;
        r[2] = cr * sy * cp + sr * sp;
        r[3] = sr * cy;
        r[4] = sr * sy * sp + cr * cp;
        r[5] = sr * sy * cp - cr * sp;
        r[6] = -sy;
        r[7] = cy * sp;
        r[8] = cy * cp;
    }

    /// <summary>Inverse of <see cref="FromEuler"/>, radians; yaw stays within ±90°, which a visible face never leaves.</summary>
    public static (double Yaw, double Pitch, double Roll) ToEuler(ReadOnlySpan<double> r)
    {
        var yaw = Math.Atan2(-r[6], Math.Sqrt(r[7] * r[7] + r[8] * r[8]));
        var pitch = Math.Atan2(r[7], r[8]);
        var roll = Math.Atan2(r[3], r[0]);
        return (yaw, pitch, roll);
    }

    /// <summary>Rodrigues: the rotation by |ω| radians about ω/|ω|.</summary>
    public static void FromVector(double wx, double wy, double wz, Span<double> r)
    {
        var theta = Math.Sqrt(wx * wx + wy * wy + wz * wz);
        if (theta < 1e-12)
        {
            // First order is exact to rounding here, and avoids dividing by θ.
            r[0] = 1;
            r[1] = -wz;
            r[2] = wy;
            r[3] = wz;
            r[4] = 1;
            r[5] = -wx;
            r[6] = -wy;
            r[7] = wx;
            r[8] = 1;
            return;
        }

        double kx = wx / theta, ky = wy / theta, kz = wz / theta;
        double c = Math.Cos(theta), s = Math.Sin(theta), v = 1 - c;
        r[0] = c + kx * kx * v;
        r[1] = kx * ky * v - kz * s;
        r[2] = kx * kz * v + ky * s;
        r[3] = ky * kx * v + kz * s;
        r[4] = c + ky * ky * v;
        r[5] = ky * kz * v - kx * s;
        r[6] = kz * kx * v - ky * s;
        r[7] = kz * ky * v + kx * s;
        r[8] = c + kz * kz * v;
    }

    /// <summary>The Rodrigues vector of a rotation matrix (angle in [0, π]).</summary>
    public static (double X, double Y, double Z) ToVector(ReadOnlySpan<double> r)
    {
        var cos = Math.Clamp((r[0] + r[4] + r[8] - 1) * 0.5, -1, 1);
        var theta = Math.Acos(cos);
        double ax = r[7] - r[5], ay = r[2] - r[6], az = r[3] - r[1];
        if (theta < 1e-9)
        {
            return (0.5 * ax, 0.5 * ay, 0.5 * az);
        }

        if (Math.PI - theta > 1e-6)
        {
            var f = theta / (2 * Math.Sin(theta));
            return (f * ax, f * ay, f * az);
        }

        // Near a half turn the antisymmetric part vanishes: read the axis from the diagonal instead.
        var x = Math.Sqrt(Math.Max(0, (r[0] + 1) * 0.5));
        var y = Math.Sqrt(Math.Max(0, (r[4] + 1) * 0.5));
        var z = Math.Sqrt(Math.Max(0, (r[8] + 1) * 0.5));
        if (x >= y && x >= z)
        {
            y = Math.CopySign(y, r[1] + r[3]);
            z = Math.CopySign(z, r[2] + r[6]);
        }
        else if (y >= z)
        {
            x = Math.CopySign(x, r[1] + r[3]);
            z = Math.CopySign(z, r[5] + r[7]);
        }
        else
        {
            x = Math.CopySign(x, r[2] + r[6]);
            y = Math.CopySign(y, r[5] + r[7]);
        }

        var n = Math.Sqrt(x * x + y * y + z * z);
        return (theta * x / n, theta * y / n, theta * z / n);
    }

    /// <summary>c = a·b; <paramref name="c"/> must not overlap the inputs.</summary>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
            }
        }
    }
}
