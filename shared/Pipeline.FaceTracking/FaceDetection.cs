namespace Pipeline.FaceTracking;

/// <summary>One face found by dlib's HOG detector.</summary>
/// <param name="Box">In the coordinates of the full image passed to <see cref="FaceLandmarker.Detect"/>.</param>
/// <param name="Score">dlib's detection confidence: above the threshold asked for (0 by default); larger is surer.</param>
/// <param name="SubDetector">Which of dlib's five HOG filters fired: 0 front, 1 left-looking, 2 right-looking,
/// 3 front rotated left, 4 front rotated right; a rough head orientation.</param>
public readonly record struct FaceDetection(FaceBox Box, double Score, int SubDetector);
