namespace Pipeline.Render.Onnx;

/// <summary>A model manifest that cannot be used; the message is one line naming the file and what is wrong.</summary>
public sealed class ModelManifestException(string message) : Exception(message);
