namespace Pipeline.FaceTracking.Tracking;

/// <summary>How the tracker trades detection cost against responsiveness; bound from the "FaceTracking" section.</summary>
public sealed class FaceTrackerOptions
{
    public const string SectionName = "FaceTracking";

    /// <summary>Frames between scheduled detections while tracking holds (also run at cuts and when confidence drops).</summary>
    public int DetectEvery { get; set; } = 10;

    /// <summary>Frames between detections while no face is tracked: faceless stretches must stay cheap.</summary>
    public int DetectEveryWithoutFace { get; set; } = 3;

    /// <summary>The detector sees the frame shrunk by an integer factor so its shorter side is about this.</summary>
    public int DetectionShortSide { get; set; } = 360;

    /// <summary>
    /// Below this agreement (IoU) between the box a frame's landmarks were predicted from and the box those landmarks
    /// imply, the predictor is drifting off the face: detect again on the next frame.
    /// </summary>
    public double MinConsistency { get; set; } = 0.6;

    /// <summary>Below this agreement the face is gone (occluded, out of frame): stop tracking it.</summary>
    public double LostConsistency { get; set; } = 0.4;

    /// <summary>Consecutive detections that miss a tracked face before it is dropped (HOG misses turned heads).</summary>
    public int MaxMissedDetections { get; set; } = 3;

    /// <summary>Mean absolute change of a 32x32 grey thumbnail (0..1) above which two frames belong to different shots.</summary>
    public double ShotCutThreshold { get; set; } = 0.12;

    /// <summary>
    /// Cosine similarity of aligned face patches above which a face after a cut is a face seen before. Measured on
    /// testdata (vox_00015 / vox_00086): the same person 4 s later 0.74, two different people 0.03-0.22.
    /// </summary>
    public double SameFaceSimilarity { get; set; } = 0.5;

    /// <summary>Faces tracked at once; further detections are ignored (largest kept).</summary>
    public int MaxFaces { get; set; } = 4;
}
