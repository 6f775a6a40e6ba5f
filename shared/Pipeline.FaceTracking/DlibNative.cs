using System.Runtime.InteropServices;

namespace Pipeline.FaceTracking;

/// <summary>
/// P/Invoke surface of libpipeline_dlib.so (native/pipeline_dlib.h documents every function). Source-
/// generated marshalling: pointers and blittable values only, so a call allocates nothing.
/// </summary>
internal static unsafe partial class DlibNative
{
    /// <summary>Must equal PDL_ABI_VERSION of the library found at run time.</summary>
    public const int AbiVersion = 1;

    private const string Library = "pipeline_dlib";

    [LibraryImport(Library, EntryPoint = "pdl_abi_version")]
    public static partial int LibraryAbiVersion();

    [LibraryImport(Library, EntryPoint = "pdl_last_error")]
    public static partial int LastError(byte* buffer, int capacity);

    [LibraryImport(Library, EntryPoint = "pdl_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial DlibStatus Create(string path, out DlibContextHandle context);

    [LibraryImport(Library, EntryPoint = "pdl_destroy")]
    public static partial void Destroy(nint context);

    [LibraryImport(Library, EntryPoint = "pdl_part_count")]
    public static partial int PartCount(DlibContextHandle context);

    [LibraryImport(Library, EntryPoint = "pdl_detect")]
    public static partial DlibStatus Detect(
        DlibContextHandle context, byte* rgb24, int width, int height, int stride,
        int downscale, int upsample, double adjustThreshold, out int count);

    [LibraryImport(Library, EntryPoint = "pdl_copy_detections")]
    public static partial int CopyDetections(DlibContextHandle context, NativeDetection* output, int capacity);

    [LibraryImport(Library, EntryPoint = "pdl_landmarks")]
    public static partial DlibStatus Landmarks(
        DlibContextHandle context, byte* rgb24, int width, int height, int stride,
        float left, float top, float right, float bottom, float* xy, int xyCapacity);

    /// <summary>The calling thread's last native error message (the shim keeps it thread-local).</summary>
    public static string LastErrorMessage()
    {
        Span<byte> buffer = stackalloc byte[512];
        int length;
        fixed (byte* p = buffer)
        {
            length = LastError(p, buffer.Length);
        }

        if (length >= buffer.Length)
        {
            buffer = new byte[length + 1];
            fixed (byte* p = buffer)
            {
                length = LastError(p, buffer.Length);
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer[..Math.Min(length, buffer.Length - 1)]);
    }
}
