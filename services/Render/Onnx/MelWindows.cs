namespace Pipeline.Render.Onnx;

/// <summary>
/// Wav2Lip's audio input per video frame: <c>window</c> rows of the 80 Hz mel (the features stage's wav2lip_mel,
/// time-major [rows, 80]) starting at row int(i·80/fps) for the frame's global index i, laid out band-major as the
/// model's [1, 80, window] slice. The start is computed on the exact frame-rate rational, so 30000/1001 is not
/// rounded to 29.97. Rows past the end of the speech read as silence (the mel's floor, −4), so frames beyond the
/// audio get a closed mouth rather than a repeat of the last syllable.
/// </summary>
public static class MelWindows
{
    public const int RowsPerSecond = 80;

    /// <summary>The normalised mel's floor (Wav2Lip's −max_abs_value): what silence reads as.</summary>
    public const float Silence = -4f;

    /// <summary>First mel row of video frame <paramref name="frame"/> at <paramref name="fpsNumerator"/>/<paramref name="fpsDenominator"/> fps.</summary>
    public static long Start(long frame, long fpsNumerator, long fpsDenominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fpsNumerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fpsDenominator);
        return (long)(UInt128.CreateChecked(frame) * RowsPerSecond * (ulong)fpsDenominator / (ulong)fpsNumerator);
    }

    /// <summary>Writes frame <paramref name="frame"/>'s window into <paramref name="destination"/> ([bands, window], band-major).</summary>
    /// <param name="mel">The whole speech's mel, time-major: row r is <paramref name="bands"/> floats.</param>
    public static void Fill(ReadOnlySpan<float> mel, int bands, long frame, long fpsNumerator, long fpsDenominator, int window, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bands);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        if (destination.Length < bands * window)
        {
            throw new ArgumentException($"a mel window needs {bands * window} floats", nameof(destination));
        }

        var rows = mel.Length / bands;
        var start = Start(frame, fpsNumerator, fpsDenominator);
        for (var t = 0; t < window; t++)
        {
            var row = start + t;
            if (row >= rows)
            {
                for (var b = 0; b < bands; b++)
                {
                    destination[(b * window) + t] = Silence;
                }

                continue;
            }

            var source = mel.Slice((int)row * bands, bands);
            for (var b = 0; b < bands; b++)
            {
                destination[(b * window) + t] = source[b];
            }
        }
    }
}
