using System.Runtime.InteropServices;

namespace Pipeline.FaceTracking;

/// <summary>Blittable mirror of <c>pdl_detection</c> (native/pipeline_dlib.h): 32 bytes, same field order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeDetection
{
    public float Left;
    public float Top;
    public float Right;
    public float Bottom;
    public double Score;
    public int SubDetector;
    public int Reserved;
}
