namespace Pipeline.Media;

/// <param name="FrameRate">ffprobe's r_frame_rate: the base clock of the stream.</param>
/// <param name="AverageFrameRate">avg_frame_rate: frames / duration; differs from FrameRate for variable-frame-rate video.</param>
/// <param name="Rotation">Display rotation in degrees (0, 90, 180, 270); ffmpeg applies it when decoding.</param>
/// <param name="IsAttachedPicture">Cover art in an audio file, not real video.</param>
public sealed record VideoStreamInfo(
    int Index,
    string Codec,
    string? Profile,
    int Width,
    int Height,
    string? PixelFormat,
    Rational FrameRate,
    Rational AverageFrameRate,
    double? DurationSeconds,
    long? FrameCount,
    int Rotation,
    bool IsAttachedPicture,
    long? BitRate)
{
    /// <summary>Colour matrix, range, primaries and transfer as tagged; rgb24 frames of this stream are in its matrix.</summary>
    public VideoColour Colour { get; init; } = VideoColour.Unknown;

    /// <summary>Size after rotation, which is what decoded frames have.</summary>
    public int DisplayWidth => Rotation % 180 == 90 ? Height : Width;

    public int DisplayHeight => Rotation % 180 == 90 ? Width : Height;

    /// <summary>True when frame timing is irregular (r_frame_rate and avg_frame_rate disagree by more than 1%).</summary>
    public bool IsVariableFrameRate =>
        FrameRate.IsValid && AverageFrameRate.IsValid && Math.Abs(FrameRate.Value - AverageFrameRate.Value) > 0.01 * FrameRate.Value;

    /// <summary>
    /// The constant clock the pipeline puts this video on: r_frame_rate when plausible (for VFR it is the finest
    /// step, so no frame is lost), else avg_frame_rate, else 25. Decoders emit frames on exactly this clock.
    /// </summary>
    public Rational ClockRate =>
        FrameRate.IsValid && FrameRate.Value <= 120 ? FrameRate
        : AverageFrameRate.IsValid && AverageFrameRate.Value <= 120 ? AverageFrameRate
        : new Rational(25, 1);

    /// <summary>How many frames a decode on <see cref="ClockRate"/> yields (1 for a still image).</summary>
    public long ClockFrameCount
    {
        get
        {
            if (FrameCount is { } counted && (counted <= 1 || !IsVariableFrameRate))
            {
                return counted;
            }

            return DurationSeconds is { } seconds and > 0 ? Math.Max(1, (long)Math.Round(seconds * ClockRate.Value)) : 1;
        }
    }
}
