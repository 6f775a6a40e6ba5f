using Pipeline.FaceTracking.Tracking;
using Pipeline.Features;
using Pipeline.Media;

namespace Pipeline.Cli.Reports;

/// <summary>
/// Pictures of a face track for a person to check: the video with the smoothed landmarks and boxes drawn on every
/// frame (MP4), and a contact sheet of evenly spaced frames (PNG). Re-decodes the video; the track is read row by row.
/// </summary>
public static class TrackOverlay
{
    private static readonly (byte R, byte G, byte B)[] Colours = [(0, 255, 0), (255, 64, 255), (0, 200, 255), (255, 160, 0)];
    private static readonly (byte R, byte G, byte B) BoxColour = (255, 220, 0);
    private static readonly (byte R, byte G, byte B) MouthColour = (255, 40, 40);

    public static async Task WriteAsync(MediaProber prober, FfmpegRunner runner, string videoPath, string trackFolder, string mp4Path, string pngPath, CancellationToken ct)
    {
        using var present = NpyReader.Open(Path.Combine(trackFolder, FaceTrackFiles.Present));
        using var boxes = NpyReader.Open(Path.Combine(trackFolder, FaceTrackFiles.Boxes));
        using var landmarks = NpyReader.Open(Path.Combine(trackFolder, FaceTrackFiles.Landmarks));
        var slots = (int)present.Info.RowElements;
        var frames = present.Info.Rows;
        var presentRow = new byte[slots];
        var boxRow = new float[slots * 4];
        var pointRow = new float[slots * 136];

        await using var reader = await VideoFrameReader.OpenAsync(prober, runner, videoPath, null, ct);
        var (cw, ch) = ContactSheet.CellFor(reader.Width, reader.Height);
        var sheet = new ContactSheet(4, 3, cw, ch);
        var frame = new byte[reader.FrameBytes];
        var radius = Math.Max(1, Math.Min(reader.Width, reader.Height) / 240);
        var temp = mp4Path + ".tmp.mp4";
        await using (var writer = VideoFrameWriter.Open(runner, temp, reader.Width, reader.Height, reader.FrameRate, new EncodeSettings(Crf: 23, Preset: "veryfast"), reader.Colour))
        {
            for (long f = 0; f < frames && await reader.ReadFrameAsync(frame, ct); f++)
            {
                present.ReadRow<byte>(presentRow);
                boxes.ReadRow<float>(boxRow);
                landmarks.ReadRow<float>(pointRow);
                Draw(frame, reader.Width, reader.Height, presentRow, boxRow, pointRow, radius);
                await writer.WriteFrameAsync(frame, ct);
                // Cell k shows frame round((k + 0.5) * frames / cells).
                if (sheet.Cells > 0 && f == (long)((ContactIndex(sheet, f, frames) + 0.5) * frames / sheet.Cells))
                {
                    sheet.Add(frame, reader.Width, reader.Height);
                }
            }

            await writer.CompleteAsync(ct);
        }

        File.Move(temp, mp4Path, overwrite: true);
        await File.WriteAllBytesAsync(pngPath, sheet.ToPng(), ct);
    }

    private static long ContactIndex(ContactSheet sheet, long frame, long frames) =>
        Math.Min(sheet.Cells - 1, frame * sheet.Cells / Math.Max(1, frames));

    private static void Draw(Span<byte> rgb, int width, int height, byte[] present, float[] boxes, float[] points, int radius)
    {
        var canvas = new Rgb24Canvas(rgb, width, height);
        for (var s = 0; s < present.Length; s++)
        {
            if (present[s] == 0)
            {
                continue;
            }

            var colour = Colours[s % Colours.Length];
            canvas.Rectangle(boxes[s * 4], boxes[(s * 4) + 1], boxes[(s * 4) + 2], boxes[(s * 4) + 3], Math.Max(1, radius), BoxColour);
            for (var p = 0; p < 68; p++)
            {
                canvas.Dot(points[(s * 136) + (2 * p)], points[(s * 136) + (2 * p) + 1], radius, p >= 48 ? MouthColour : colour);
            }
        }
    }
}
