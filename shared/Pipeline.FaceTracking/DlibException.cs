namespace Pipeline.FaceTracking;

/// <summary>dlib failed inside the native shim for a reason that is not the caller's input (the message is dlib's).</summary>
public sealed class DlibException : Exception
{
    public DlibException()
    {
    }

    public DlibException(string message)
        : base(message)
    {
    }

    public DlibException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
