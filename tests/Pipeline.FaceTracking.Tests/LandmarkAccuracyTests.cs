namespace Pipeline.FaceTracking.Tests;

/// <summary>
/// Landmarks on dlib's labelled test faces (faces/testing_with_face_landmarks.xml from dlib's examples;
/// 25 faces in PASCAL VOC photos). The XML's own comment says its points were written by
/// shape_predictor_68_face_landmarks.dat itself, so this measures how faithfully the binding (our
/// decode, our float evaluation of the trees) reproduces dlib's predictor, not how well dlib fits
/// human labels. Two things keep it above zero: the reference points are whole pixels while ours are
/// sub-pixel, on small faces (eye corners ~25 px apart), and ffmpeg decodes these JPEGs slightly
/// differently from the libjpeg dlib used (3 % of channel values differ, by at most 3), which flips a
/// few tree splits. Rounded to whole pixels, ours score 1.00 %, exactly what dlib's own C++ predictor
/// scores on the same ffmpeg-decoded pixels (0.16 % on libjpeg's); both figures are printed. The bound
/// is the generic 6 %; for scale, boxes one pixel too large lift the mean from 1.84 % to 2.33 % and
/// the worst face from 3.2 % to 10.9 %.
/// </summary>
public sealed class LandmarkAccuracyTests
{
    [Fact]
    public void Mean_error_on_dlibs_test_faces_is_within_six_percent_of_the_eye_distance()
    {
        var faces = LandmarkTestSet.Load(DlibTestFiles.LandmarkTestSet());
        Assert.NotEmpty(faces);
        using var landmarker = new FaceLandmarker(DlibTestFiles.ShapePredictor());
        Assert.Equal(68, landmarker.PartCount);

        var xy = new float[2 * landmarker.PartCount];
        var errors = new List<double>();
        var errorsByEyeCentres = new List<double>();
        var errorsRounded = new List<double>();
        var rounded = new float[xy.Length];
        foreach (var image in faces.GroupBy(f => f.ImagePath))
        {
            var frame = RgbFrame.Decode(image.Key);
            foreach (var face in image)
            {
                landmarker.Landmarks(frame.Pixels, frame.Width, frame.Height, frame.Stride, face.Box, xy);
                errors.Add(MeanDistance(xy, face.Xy) / OuterCornerDistance(face.Xy));
                errorsByEyeCentres.Add(MeanDistance(xy, face.Xy) / EyeCentreDistance(face.Xy));
                for (var i = 0; i < xy.Length; i++)
                {
                    rounded[i] = MathF.Floor(xy[i] + 0.5f); // dlib's rounding of a point to whole pixels
                }

                errorsRounded.Add(MeanDistance(rounded, face.Xy) / OuterCornerDistance(face.Xy));
            }
        }

        var mean = errors.Average();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"mean point-to-point error / outer-eye-corner distance: {mean:P2} over {errors.Count} faces "
            + $"(worst face {errors.Max():P2}, median {errors.Order().ElementAt(errors.Count / 2):P2}); "
            + $"rounded to whole pixels as dlib writes them: {errorsRounded.Average():P2}; "
            + $"normalised by the eye-centre distance as dlib's train_shape_predictor_ex does: {errorsByEyeCentres.Average():P2}");
        Assert.InRange(mean, 0, 0.06);
    }

    /// <summary>Mean Euclidean distance between corresponding points, in pixels.</summary>
    private static double MeanDistance(ReadOnlySpan<float> predicted, ReadOnlySpan<float> reference)
    {
        var sum = 0.0;
        for (var i = 0; i < reference.Length / 2; i++)
        {
            sum += Distance(predicted, i, reference, i);
        }

        return sum / (reference.Length / 2);
    }

    /// <summary>
    /// The inter-ocular distance of the iBUG 300-W benchmark (and of most papers since): between the
    /// outer eye corners, points 36 and 45 of the reference. The asserted figure uses this one.
    /// </summary>
    private static double OuterCornerDistance(ReadOnlySpan<float> reference) => Distance(reference, 36, reference, 45);

    /// <summary>
    /// dlib's own choice in examples/train_shape_predictor_ex.cpp: between the eye centres (means of
    /// points 36-41 and 42-47). It is shorter, so the same error reads larger; printed for comparison.
    /// </summary>
    private static double EyeCentreDistance(ReadOnlySpan<float> reference)
    {
        double lx = 0, ly = 0, rx = 0, ry = 0;
        for (var i = 0; i < 6; i++)
        {
            lx += reference[2 * (36 + i)];
            ly += reference[2 * (36 + i) + 1];
            rx += reference[2 * (42 + i)];
            ry += reference[2 * (42 + i) + 1];
        }

        return Math.Sqrt(Square((lx - rx) / 6) + Square((ly - ry) / 6));
    }

    private static double Distance(ReadOnlySpan<float> a, int i, ReadOnlySpan<float> b, int j) =>
        Math.Sqrt(Square(a[2 * i] - b[2 * j]) + Square(a[2 * i + 1] - b[2 * j + 1]));

    private static double Square(double v) => v * v;
}
