using Pipeline.TestSupport;

namespace Pipeline.FaceTracking.Tests;

/// <summary>The binding end to end on a real video frame: detection, landmarks, strides, downscaling.</summary>
public sealed class FaceLandmarkerTests
{
    // One man talking to camera, 844x844 (SOURCES.md: video-retalking examples/face/2.mp4).
    private const string Video = "video/retalk_2.mp4";

    [Fact]
    public void Finds_one_face_and_its_68_landmarks_on_a_real_frame()
    {
        var frame = RgbFrame.Decode(TestData.Require(Video));
        using var landmarker = new FaceLandmarker(DlibTestFiles.ShapePredictor());

        var faces = landmarker.Detect(frame.Pixels, frame.Width, frame.Height, frame.Stride);

        var face = Assert.Single(faces);
        Assert.True(face.Score > 0, $"score {face.Score}");
        Assert.InRange(face.SubDetector, 0, 4);
        Assert.InRange(face.Box.Width, 80, frame.Width); // dlib's smallest window is 80x80
        Assert.True(face.Box.Left >= 0 && face.Box.Top >= 0 && face.Box.Right < frame.Width && face.Box.Bottom < frame.Height, $"{face.Box}");

        var xy = new float[2 * landmarker.PartCount];
        landmarker.Landmarks(frame.Pixels, frame.Width, frame.Height, frame.Stride, face.Box, xy);
        Assert.Equal(68, landmarker.PartCount);
        var box = face.Box;
        for (var i = 0; i < 68; i++)
        {
            // dlib's boxes cut through the chin, so the jaw line (0-16) may hang a little below them.
            var slack = i <= 16 ? 0.15f * box.Height : 0;
            Assert.True(
                xy[2 * i] >= box.Left - slack && xy[2 * i] <= box.Right + slack && xy[2 * i + 1] >= box.Top - slack && xy[2 * i + 1] <= box.Bottom + slack,
                $"point {i} ({xy[2 * i]}, {xy[2 * i + 1]}) is outside {box}");
        }

        // Anatomy, in image coordinates: the eyes sit above the nose tip, the nose tip above the mouth,
        // the subject's right eye (36-41) on the image's left, and the mouth is narrower than the face.
        Assert.True(xy[2 * 36] < xy[2 * 45], "outer eye corners are not left-right");
        Assert.True(xy[2 * 36 + 1] < xy[2 * 30 + 1] && xy[2 * 30 + 1] < xy[2 * 51 + 1] && xy[2 * 51 + 1] < xy[2 * 8 + 1], "eyes, nose, mouth and chin are not top to bottom");
        Assert.True(xy[2 * 54] - xy[2 * 48] < xy[2 * 16] - xy[2 * 0], "mouth wider than the jaw");
    }

    [Fact]
    public void Padded_rows_and_a_downscaled_detection_give_the_same_face()
    {
        var frame = RgbFrame.Decode(TestData.Require(Video));
        using var landmarker = new FaceLandmarker(DlibTestFiles.ShapePredictor());
        var face = Assert.Single(landmarker.Detect(frame.Pixels, frame.Width, frame.Height, frame.Stride));

        // Rows longer than 3 * width (filled with a pattern) must be read as rows, not as pixels.
        var (padded, stride) = frame.Padded(padding: 37);
        Assert.Equal(face, Assert.Single(landmarker.Detect(padded, frame.Width, frame.Height, stride)));
        var expected = new float[136];
        var actual = new float[136];
        landmarker.Landmarks(frame.Pixels, frame.Width, frame.Height, frame.Stride, face.Box, expected);
        landmarker.Landmarks(padded, frame.Width, frame.Height, stride, face.Box, actual);
        Assert.Equal(expected, actual);

        // Detection on a half-size reduction reports the same face in full-frame coordinates.
        var half = Assert.Single(landmarker.Detect(frame.Pixels, frame.Width, frame.Height, frame.Stride, downscale: 2));
        Assert.True(Overlap(face.Box, half.Box) > 0.7, $"full {face.Box} vs downscaled {half.Box}");
    }

    [Fact]
    public void Landmarks_allocate_nothing_per_call()
    {
        // They run on every frame of every job: no garbage, so no GC pauses in the tracking loop.
        var frame = RgbFrame.Decode(TestData.Require(Video));
        using var landmarker = new FaceLandmarker(DlibTestFiles.ShapePredictor());
        var box = Assert.Single(landmarker.Detect(frame.Pixels, frame.Width, frame.Height, frame.Stride)).Box;
        var xy = new float[2 * landmarker.PartCount];
        landmarker.Landmarks(frame.Pixels, frame.Width, frame.Height, frame.Stride, box, xy); // JIT and marshalling stubs

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            landmarker.Landmarks(frame.Pixels, frame.Width, frame.Height, frame.Stride, box, xy);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Upsampling_finds_a_face_too_small_for_the_window_where_it_is()
    {
        var frame = RgbFrame.Decode(TestData.Require(Video));
        using var landmarker = new FaceLandmarker(DlibTestFiles.ShapePredictor());
        var face = Assert.Single(landmarker.Detect(frame.Pixels, frame.Width, frame.Height, frame.Stride));

        // Reduced 8x, the face is smaller than dlib's 80x80 window; one doubling brings it back.
        Assert.True(face.Box.Width / 8 < 80, $"{face.Box} is not small enough for this test");
        Assert.Empty(landmarker.Detect(frame.Pixels, frame.Width, frame.Height, frame.Stride, downscale: 8));
        var small = Assert.Single(landmarker.Detect(frame.Pixels, frame.Width, frame.Height, frame.Stride, upsample: 1, downscale: 8));
        Assert.True(Overlap(face.Box, small.Box) > 0.6, $"full {face.Box} vs reduced and upsampled {small.Box}");
    }

    [Fact]
    public void A_frame_without_a_face_gives_no_detection()
    {
        var gray = new byte[320 * 240 * 3];
        Array.Fill(gray, (byte)128);
        using var landmarker = new FaceLandmarker(DlibTestFiles.ShapePredictor());

        Assert.Empty(landmarker.Detect(gray, 320, 240, 320 * 3));
        Assert.Empty(landmarker.Detect(gray, 320, 240, 320 * 3, upsample: 1));
        // Smaller than one HOG cell after reduction: nothing to scan, not an error.
        Assert.Empty(landmarker.Detect(gray, 20, 20, 20 * 3, downscale: 4));
    }

    private static double Overlap(FaceBox a, FaceBox b)
    {
        var w = Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left) + 1;
        var h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top) + 1;
        var intersection = w > 0 && h > 0 ? w * h : 0;
        return intersection / ((a.Width * a.Height) + (b.Width * b.Height) - intersection);
    }
}
