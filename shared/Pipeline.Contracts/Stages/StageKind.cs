namespace Pipeline.Contracts.Stages;

/// <summary>The stages of the job DAG (DESIGN.md §2). The wire form is the name, so only append.</summary>
public enum StageKind
{
    Ingest,
    PrepareAudio,
    AudioFeatures,
    Encoding,
    FaceTracking,
    Motion,
    Render,
    Mux,
    ExemplarBank,
    PrepareVideo,
}
