namespace Pipeline.Media;

public sealed record AudioStreamInfo(
    int Index,
    string Codec,
    int SampleRate,
    int Channels,
    string? ChannelLayout,
    double? DurationSeconds,
    long? BitRate);
