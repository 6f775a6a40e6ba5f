namespace Pipeline.FaceTracking.Tracking;

/// <summary>
/// Where dlib's detector would put its box, given a face's landmarks. The landmark model was trained on detector
/// boxes, so between detections the box must look like one. It is placed relative to the points that do not move with
/// speech (brows, nose, eyes) and scaled by the inter-ocular distance; the mouth opening therefore never moves the
/// box, which keeps the box (and the landmarks predicted in it) still while the person talks. The offsets are learnt
/// from each detection of this face.
/// </summary>
public sealed class LandmarkBoxModel
{
    // Typical dlib box relative to the stable centre, in inter-ocular distances (measured on testdata faces).
    private double _dx;
    private double _dy = 0.45;
    private double _width = 2.3;
    private double _height = 2.3;
    private bool _learnt;

    public static (double Cx, double Cy, double Scale) Reference(ReadOnlySpan<float> xy)
    {
        double cx = 0, cy = 0;
        for (var p = 17; p <= 47; p++)
        {
            cx += xy[2 * p];
            cy += xy[(2 * p) + 1];
        }

        cx /= 31;
        cy /= 31;
        var ex = xy[2 * 45] - xy[2 * 36];
        var ey = xy[(2 * 45) + 1] - xy[(2 * 36) + 1];
        // Inter-ocular distance shrinks as the head turns; the nose bridge length (27→30) does not: take the larger.
        var bx = xy[2 * 30] - xy[2 * 27];
        var by = xy[(2 * 30) + 1] - xy[(2 * 27) + 1];
        var scale = Math.Max(Math.Sqrt((ex * ex) + (ey * ey)), 1.25 * Math.Sqrt((bx * bx) + (by * by)));
        return (cx, cy, Math.Max(1.0, scale));
    }

    /// <summary>Learns from a detection box and the landmarks predicted in it (running average after the first).</summary>
    public void Learn(FaceBox detection, ReadOnlySpan<float> xy)
    {
        var (cx, cy, s) = Reference(xy);
        var dx = (detection.CenterX - cx) / s;
        var dy = (detection.CenterY - cy) / s;
        var w = detection.Width / s;
        var h = detection.Height / s;
        var a = _learnt ? 0.3 : 1.0;
        _dx += a * (dx - _dx);
        _dy += a * (dy - _dy);
        _width += a * (w - _width);
        _height += a * (h - _height);
        _learnt = true;
    }

    public FaceBox Predict(ReadOnlySpan<float> xy)
    {
        var (cx, cy, s) = Reference(xy);
        var x = cx + (_dx * s);
        var y = cy + (_dy * s);
        var hw = _width * s / 2;
        var hh = _height * s / 2;
        return new FaceBox((float)(x - hw), (float)(y - hh), (float)(x + hw), (float)(y + hh));
    }

    public static double IoU(FaceBox a, FaceBox b)
    {
        var w = Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left);
        var h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var inter = (double)w * h;
        return inter / (((double)a.Width * a.Height) + ((double)b.Width * b.Height) - inter);
    }
}
