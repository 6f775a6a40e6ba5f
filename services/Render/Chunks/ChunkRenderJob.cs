using Pipeline.Contracts.Artifacts;
using Pipeline.Media;
using Pipeline.Render.Onnx;
using Pipeline.Rendering.Exemplars;

namespace Pipeline.Render.Chunks;

/// <summary>
/// One chunk's render, everything in memory but the frames: the chunk's tracked faces and the predicted ones
/// ([chunk frames, 136] pixels each, with presence flags), the backend and, for the exemplar backend, its bank.
/// </summary>
public sealed record ChunkRenderJob(
    string VideoPath,
    ChunkRange Chunk,
    float[] Tracked,
    byte[] TrackedPresent,
    float[] Predicted,
    byte[] PredictedPresent,
    string Backend,
    ExemplarBank? Bank,
    EncodeSettings Encode,
    OnnxInputs? Onnx = null);

/// <param name="FacesDrawn">Frames whose lower face was redrawn.</param>
/// <param name="Switches">Times the exemplar changed between consecutive drawn frames.</param>
public sealed record ChunkRenderSummary(long Frames, long FacesDrawn, int Switches, double DecodeSeconds, double DrawSeconds, double EncodeSeconds, double InferenceSeconds = 0);
