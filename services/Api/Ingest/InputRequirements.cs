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
    /// <param name="maxSeconds">The longest input accepted (Api:MaxInputSeconds, three hours by default).</param>
    public static void Check(MediaInfo info, InputRole role, string name, double maxSeconds)
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

        CheckDuration(info.DurationSeconds, name, maxSeconds, info.Path);
    }

    /// <summary>Anything longer than the limit is almost always a mistake, and would tie up workers for hours.</summary>
    public static void CheckDuration(double seconds, string name, double maxSeconds, string? path = null)
    {
        if (seconds > maxSeconds)
        {
            throw new MediaException(
                MediaErrorKind.Unsupported,
                $"'{name}' lasts {TimeSpan.FromSeconds(Math.Round(seconds)):g}, over this service's limit of {TimeSpan.FromSeconds(maxSeconds):g} (Api:MaxInputSeconds): split it first",
                path);
        }
    }
}
