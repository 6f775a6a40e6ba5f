using System.Runtime.InteropServices;

namespace Pipeline.FaceTracking;

/// <summary>
/// dlib's HOG face detector and 68-point landmark model (iBUG 300-W point order) over packed rgb24
/// frames. One instance owns one native context and is NOT thread-safe: give each thread its own.
/// Instances on the same model file share its ~100 MB of trees, so one per thread is cheap.
/// </summary>
/// <remarks>
/// Frames are read in place (pinned for the call, never copied); <see cref="Landmarks"/> allocates
/// nothing, so it can run on every frame.
/// </remarks>
public sealed class FaceLandmarker : IDisposable
{
    // dlib's detector works at 80x80 and up; at most 16x reduction and 3 doublings are accepted.
    public const int MaxDownscale = 16;
    public const int MaxUpsample = 3;

    private readonly DlibContextHandle _context;

    /// <param name="shapePredictorPath">The .dat file; null: <see cref="DlibModels.ShapePredictorPath"/>'s default.</param>
    /// <exception cref="FileNotFoundException">The model file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is not a dlib shape predictor.</exception>
    /// <exception cref="DllNotFoundException">libpipeline_dlib.so or Debian's libdlib is not installed.</exception>
    public FaceLandmarker(string? shapePredictorPath = null)
    {
        ModelPath = DlibModels.ShapePredictorPath(shapePredictorPath);
        EnsureLibrary();
        var status = DlibNative.Create(ModelPath, out var context);
        if (status != DlibStatus.Ok)
        {
            context.Dispose();
            throw Failure(status, ModelPath);
        }

        _context = context;
        PartCount = DlibNative.PartCount(_context);
    }

    public string ModelPath { get; }

    /// <summary>Landmarks per face (68 for shape_predictor_68_face_landmarks.dat).</summary>
    public int PartCount { get; }

    /// <summary>
    /// Finds faces, best first. The frame is reduced to grayscale and box-averaged by
    /// <paramref name="downscale"/> inside the native call (no scaled copy is made here), then
    /// doubled <paramref name="upsample"/> times; boxes come back in full-frame coordinates.
    /// </summary>
    /// <param name="rgb24">Packed R, G, B bytes; row y starts at y * stride.</param>
    /// <param name="upsample">Doublings before detection: each finds faces half as small (dlib's window is 80x80) at ~4x the cost.</param>
    /// <param name="downscale">Integer reduction before detection (1 = none): the cheap way to detect on a large frame.</param>
    /// <param name="adjustThreshold">dlib's threshold adjustment: 0 is its default, negative finds more (and more false) faces.</param>
    public IReadOnlyList<FaceDetection> Detect(
        ReadOnlySpan<byte> rgb24, int width, int height, int stride, int upsample = 0, int downscale = 1, double adjustThreshold = 0)
    {
        CheckFrame(rgb24, width, height, stride);
        ArgumentOutOfRangeException.ThrowIfLessThan(downscale, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(downscale, MaxDownscale);
        ArgumentOutOfRangeException.ThrowIfNegative(upsample);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(upsample, MaxUpsample);
        if (!double.IsFinite(adjustThreshold))
        {
            throw new ArgumentOutOfRangeException(nameof(adjustThreshold), adjustThreshold, "must be finite");
        }

        unsafe
        {
            int count;
            fixed (byte* pixels = rgb24)
            {
                var status = DlibNative.Detect(_context, pixels, width, height, stride, downscale, upsample, adjustThreshold, out count);
                if (status != DlibStatus.Ok)
                {
                    throw Failure(status, ModelPath);
                }
            }

            if (count == 0)
            {
                return [];
            }

            var native = new NativeDetection[count];
            fixed (NativeDetection* output = native)
            {
                count = DlibNative.CopyDetections(_context, output, count);
            }

            var faces = new FaceDetection[count];
            for (var i = 0; i < count; i++)
            {
                var d = native[i];
                faces[i] = new FaceDetection(new FaceBox(d.Left, d.Top, d.Right, d.Bottom), d.Score, d.SubDetector);
            }

            return faces;
        }
    }

    /// <summary>
    /// Predicts the landmarks of the face in <paramref name="box"/> and writes them to
    /// <paramref name="xy"/> as x0, y0, x1, y1, ... in image pixels (sub-pixel). For the 68-point model:
    /// jaw 0-16, brows 17-26, nose 27-35, eyes 36-47 (outer corners 36 and 45), mouth 48-67.
    /// </summary>
    /// <param name="box">Usually a detection's box; the model was trained on dlib's detector boxes.</param>
    /// <param name="xy">At least 2 * <see cref="PartCount"/> floats.</param>
    public void Landmarks(ReadOnlySpan<byte> rgb24, int width, int height, int stride, FaceBox box, Span<float> xy)
    {
        CheckFrame(rgb24, width, height, stride);
        if (xy.Length < 2 * PartCount)
        {
            throw new ArgumentException($"xy holds {xy.Length} floats; {PartCount} landmarks need {2 * PartCount}.", nameof(xy));
        }

        if (!(box.Right > box.Left && box.Bottom > box.Top) || !float.IsFinite(box.Left) || !float.IsFinite(box.Top)
            || !float.IsFinite(box.Right) || !float.IsFinite(box.Bottom))
        {
            throw new ArgumentException($"box {box} must be finite with Right > Left and Bottom > Top.", nameof(box));
        }

        unsafe
        {
            fixed (byte* pixels = rgb24)
            fixed (float* output = xy)
            {
                var status = DlibNative.Landmarks(
                    _context, pixels, width, height, stride, box.Left, box.Top, box.Right, box.Bottom, output, xy.Length);
                if (status != DlibStatus.Ok)
                {
                    throw Failure(status, ModelPath);
                }
            }
        }
    }

    public void Dispose() => _context.Dispose();

    private void CheckFrame(ReadOnlySpan<byte> rgb24, int width, int height, int stride)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (stride < 3L * width)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"an rgb24 row of width {width} needs a stride of at least {3L * width} bytes");
        }

        // The last row only needs its pixels, not a whole stride (frames cropped out of a larger buffer).
        var needed = ((long)height - 1) * stride + 3L * width;
        if (rgb24.Length < needed)
        {
            throw new ArgumentException($"rgb24 holds {rgb24.Length} bytes; {width}x{height} with stride {stride} needs {needed}.", nameof(rgb24));
        }
    }

    private static void EnsureLibrary()
    {
        int version;
        try
        {
            version = DlibNative.LibraryAbiVersion();
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                "libpipeline_dlib.so could not be loaded. It is built with this project (shared/Pipeline.FaceTracking/native) "
                + "and needs Debian's dlib at run time: apt-get install libdlib-dev libdlib-data, or infra/install-deps.sh. "
                + e.Message,
                e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new DllNotFoundException("the libpipeline_dlib.so found is not this binding's shim; rebuild the solution. " + e.Message, e);
        }

        if (version != DlibNative.AbiVersion)
        {
            throw new DllNotFoundException(
                $"libpipeline_dlib.so has ABI version {version}, this binding expects {DlibNative.AbiVersion}: a stale build; rebuild the solution.");
        }
    }

    private static Exception Failure(DlibStatus status, string modelPath)
    {
        var message = DlibNative.LastErrorMessage();
        return status switch
        {
            DlibStatus.InvalidArgument => new ArgumentException(message),
            DlibStatus.ModelNotFound => new FileNotFoundException(message, modelPath),
            DlibStatus.ModelInvalid => new InvalidDataException(message),
            DlibStatus.OutOfMemory => new InsufficientMemoryException(message),
            _ => new DlibException(message),
        };
    }
}
