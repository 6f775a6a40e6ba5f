namespace Pipeline.Features;

/// <summary>A .npy file that is not valid NPY, or uses a layout this library does not read.</summary>
public sealed class NpyFormatException(string message) : Exception(message);
