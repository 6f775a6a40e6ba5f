using Pipeline.Media;

namespace Pipeline.Api.Ingest;

public enum InputRole
{
    Video,
    Image,
    Audio,
}

/// <summary>What each input must contain, with the reason a user sees when it does not.</summary>
public static class InputRequirements
{
    /// <summary>
    /// A feature film fits; anything longer is almost always a mistake and would tie up workers for hours.
    /// (The normalised audio is a float WAV, whose 4 GiB limit is just over three hours of 48 kHz stereo.)
    /// </summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(3);

    public static void Check(MediaInfo info, InputRole role, string name)
    {
        switch (role)
        {
            case InputRole.Video when info.Video is null:
                throw new MediaException(MediaErrorKind.NoVideoStream, $"'{name}' has no video stream: --video needs a video file", info.Path);
            case InputRole.Video when info.IsStillImage:
                throw new MediaException(MediaErrorKind.Unsupported, $"'{name}' is a still image: --video needs a video (use animate for a photo)", info.Path);
            case InputRole.Image when info.Video is null:
                throw new MediaException(MediaErrorKind.NoVideoStream, $"'{name}' is not an image", info.Path);
            case InputRole.Audio when info.Audio is null:
                throw new MediaException(MediaErrorKind.NoAudioStream, $"'{name}' has no audio stream: --audio needs a sound file", info.Path);
        }

        if (role is not InputRole.Image && info.DurationSeconds <= 0)
        {
            throw new MediaException(MediaErrorKind.NotMedia, $"'{name}' has no duration: it may be truncated or corrupt", info.Path);
        }

        if (info.DurationSeconds > MaxDuration.TotalSeconds)
        {
            throw new MediaException(
                MediaErrorKind.Unsupported,
                $"'{name}' lasts {TimeSpan.FromSeconds(info.DurationSeconds):g}, over the {MaxDuration.TotalHours:0}-hour limit: split it first",
                info.Path);
        }
    }
}
