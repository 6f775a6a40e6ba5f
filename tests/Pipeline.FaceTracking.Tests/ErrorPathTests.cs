using Pipeline.TestSupport;

namespace Pipeline.FaceTracking.Tests;

/// <summary>Missing or bad models and bad frames are clear .NET exceptions, never a crash of the process.</summary>
public sealed class ErrorPathTests
{
    [Fact]
    public void A_missing_model_file_says_where_it_looked_and_how_to_install_it()
    {
        const string missing = "/nonexistent/shape_predictor_68_face_landmarks.dat";

        var e = Assert.Throws<FileNotFoundException>(() => new FaceLandmarker(missing));

        Assert.Equal(missing, e.FileName);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("libdlib-data", e.Message, StringComparison.Ordinal);
        Assert.Contains(DlibModels.ShapePredictorVariable, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_invalid_data()
    {
        using var scratch = new ScratchDirectory("dlib-model");
        var garbage = scratch.File("garbage.dat");
        File.WriteAllText(garbage, "this is not a dlib shape predictor");

        var e = Assert.Throws<InvalidDataException>(() => new FaceLandmarker(garbage));
        Assert.Contains(garbage, e.Message, StringComparison.Ordinal);

        // A download cut short: the real model's first megabyte.
        var truncated = scratch.File("truncated.dat");
        using (var source = File.OpenRead(DlibTestFiles.ShapePredictor()))
        using (var target = File.Create(truncated))
        {
            var head = new byte[1 << 20];
            source.ReadExactly(head);
            target.Write(head);
        }

        Assert.Throws<InvalidDataException>(() => new FaceLandmarker(truncated));

        var empty = scratch.File("empty.dat");
        File.WriteAllBytes(empty, []);
        Assert.Throws<InvalidDataException>(() => new FaceLandmarker(empty));
    }

    [Fact]
    public void Bad_frames_and_boxes_are_argument_errors()
    {
        using var landmarker = new FaceLandmarker(DlibTestFiles.ShapePredictor());
        var frame = new byte[100 * 100 * 3];
        var xy = new float[136];
        var box = new FaceBox(10, 10, 80, 80);

        Assert.Throws<ArgumentException>(() => landmarker.Detect(frame.AsSpan(1), 100, 100, 300)); // one byte short
        Assert.Throws<ArgumentOutOfRangeException>(() => landmarker.Detect(frame, 100, 100, 299)); // stride < 3 * width
        Assert.Throws<ArgumentOutOfRangeException>(() => landmarker.Detect(frame, 0, 100, 300));
        Assert.Throws<ArgumentOutOfRangeException>(() => landmarker.Detect(frame, 100, 100, 300, downscale: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => landmarker.Detect(frame, 100, 100, 300, upsample: 4));
        Assert.Throws<ArgumentException>(() => landmarker.Landmarks(frame, 100, 100, 300, box, new float[135]));
        Assert.Throws<ArgumentException>(() => landmarker.Landmarks(frame, 100, 100, 300, new FaceBox(50, 10, 40, 80), xy));
        Assert.Throws<ArgumentException>(() => landmarker.Landmarks(frame, 100, 100, 300, new FaceBox(float.NaN, 10, 80, 80), xy));

        // A box partly or wholly outside the frame is legal (tracking can drift there): pixels outside read as 0.
        landmarker.Landmarks(frame, 100, 100, 300, new FaceBox(-500, -500, -400, -400), xy);
        Assert.All(xy, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void The_native_layer_checks_its_arguments_too()
    {
        // The size limit (32768 per side) is the shim's alone: the call comes back as a status and a
        // message, turned into an ArgumentException, and the context stays usable.
        using var landmarker = new FaceLandmarker(DlibTestFiles.ShapePredictor());
        const int width = 1 << 16;
        var row = new byte[3 * width];
        var e = Assert.Throws<ArgumentException>(() => landmarker.Detect(row, width, 1, 3 * width));
        Assert.Contains("outside 1..", e.Message, StringComparison.Ordinal);
        Assert.Empty(landmarker.Detect(row, 64, 64, 3 * 64));
    }

    [Fact]
    public void A_disposed_landmarker_throws_instead_of_using_freed_memory()
    {
        var landmarker = new FaceLandmarker(DlibTestFiles.ShapePredictor());
        landmarker.Dispose();
        landmarker.Dispose(); // twice is harmless

        Assert.Throws<ObjectDisposedException>(() => landmarker.Detect(new byte[300], 10, 10, 30));
        Assert.Throws<ObjectDisposedException>(() => landmarker.Landmarks(new byte[300], 10, 10, 30, new FaceBox(0, 0, 9, 9), new float[136]));
    }
}
