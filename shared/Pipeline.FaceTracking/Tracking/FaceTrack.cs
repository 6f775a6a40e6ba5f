namespace Pipeline.FaceTracking.Tracking;

/// <summary>The tracker's memory of one face: where it was last, how its detector box sits, how it looks.</summary>
internal sealed class FaceTrack(int id)
{
    public int Id { get; } = id;

    public float[] Landmarks { get; } = new float[136];

    public LandmarkBoxModel BoxModel { get; } = new();

    public float[] Appearance { get; } = new float[FaceAppearance.Length];

    public bool HasAppearance { get; set; }

    public bool Active { get; set; }

    public int MissedDetections { get; set; }

    public double Confidence { get; set; }

    /// <summary>IoU of the box the last landmarks were predicted from with the box they imply.</summary>
    public double Consistency { get; set; } = 1;

    public long LastSeenFrame { get; set; }

    /// <summary>Blends a fresh appearance sample in, so the identity follows slow changes (lighting, pose).</summary>
    public void UpdateAppearance(ReadOnlySpan<float> sample)
    {
        if (!HasAppearance)
        {
            sample.CopyTo(Appearance);
            HasAppearance = true;
            return;
        }

        var norm = 0.0;
        for (var i = 0; i < Appearance.Length; i++)
        {
            Appearance[i] = (0.8f * Appearance[i]) + (0.2f * sample[i]);
            norm += Appearance[i] * Appearance[i];
        }

        var inv = norm > 1e-12 ? (float)(1 / Math.Sqrt(norm)) : 0f;
        for (var i = 0; i < Appearance.Length; i++)
        {
            Appearance[i] *= inv;
        }
    }
}
