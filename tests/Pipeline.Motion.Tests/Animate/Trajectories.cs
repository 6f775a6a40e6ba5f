using Pipeline.Motion.Animate;

namespace Pipeline.Motion.Tests.Animate;

/// <summary>Statistics over one channel of a <c>[frames, 6]</c> trajectory.</summary>
internal static class Trajectories
{
    public static double StandardDeviation(float[] trajectory, int channel, int fromFrame = 0, int toFrame = -1)
    {
        var end = toFrame < 0 ? trajectory.Length / PoseTrajectory.Channels : toFrame;
        var n = end - fromFrame;
        double mean = 0;
        for (var f = fromFrame; f < end; f++)
        {
            mean += trajectory[f * PoseTrajectory.Channels + channel];
        }

        mean /= n;
        double sum = 0;
        for (var f = fromFrame; f < end; f++)
        {
            var d = trajectory[f * PoseTrajectory.Channels + channel] - mean;
            sum += d * d;
        }

        return Math.Sqrt(sum / n);
    }

    public static double MaxStep(float[] trajectory, int channel)
    {
        double max = 0;
        for (var f = 1; f < trajectory.Length / PoseTrajectory.Channels; f++)
        {
            var step = Math.Abs(trajectory[f * PoseTrajectory.Channels + channel] - trajectory[(f - 1) * PoseTrajectory.Channels + channel]);
            max = Math.Max(max, step);
        }

        return max;
    }

    /// <summary>The σ each channel of <paramref name="style"/> is built to have in silence.</summary>
    public static double StyleSigma(PoseStyle style, int channel) => channel switch
    {
        PoseTrajectory.Yaw => style.YawSigmaDegrees,
        PoseTrajectory.Pitch => style.PitchSigmaDegrees,
        PoseTrajectory.Roll => style.RollSigmaDegrees,
        PoseTrajectory.Scale => style.SwaySigma / PoseTrajectory.DepthSwayRatio,
        _ => style.SwaySigma,
    };

    public static float[] Constant(int frames, float dbfs)
    {
        var energy = new float[frames];
        Array.Fill(energy, dbfs);
        return energy;
    }
}
