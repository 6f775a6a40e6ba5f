namespace Pipeline.FaceGeometry;

/// <summary>
/// An ideal pinhole camera in pixels: square pixels, no skew, no lens distortion. Camera axes follow
/// OpenCV: x to the image's right, y down, z forward along the optical axis.
/// </summary>
public readonly record struct PinholeCamera(double FocalPx, double Cx, double Cy)
{
    /// <summary>
    /// The usual guess for an uncalibrated video: focal length max(width, height) pixels (a field of view
    /// of about 53° across the long side, typical of phones and webcams) and the principal point at the
    /// image centre. A wrong focal length mostly changes the estimated distance, little the angles.
    /// </summary>
    public static PinholeCamera ForImage(int width, int height, double? focalPx = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var f = focalPx ?? Math.Max(width, height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(f, nameof(focalPx));
        return new PinholeCamera(f, 0.5 * width, 0.5 * height);
    }

    /// <summary>Pixel position of a camera-space point (which must lie in front of the camera).</summary>
    public (double U, double V) Project(double x, double y, double z) => (FocalPx * x / z + Cx, FocalPx * y / z + Cy);
}
