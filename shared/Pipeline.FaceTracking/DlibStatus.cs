namespace Pipeline.FaceTracking;

/// <summary>The shim's status codes (<c>pdl_status</c> in native/pipeline_dlib.h).</summary>
internal enum DlibStatus
{
    Ok = 0,
    InvalidArgument = 1,
    ModelNotFound = 2,
    ModelInvalid = 3,
    OutOfMemory = 4,
    Internal = 5,
}
