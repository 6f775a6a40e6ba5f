using System.Runtime.InteropServices;

namespace Pipeline.FaceTracking;

/// <summary>Owns one native <c>pdl_context</c>; released exactly once, even if the owner is never disposed.</summary>
internal sealed class DlibContextHandle : SafeHandle
{
    public DlibContextHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        DlibNative.Destroy(handle);
        return true;
    }
}
