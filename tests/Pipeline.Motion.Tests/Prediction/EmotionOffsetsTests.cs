using Pipeline.Contracts.Jobs;
using Pipeline.FaceGeometry;
using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

public sealed class EmotionOffsetsTests
{
    [Fact]
    public void Happy_raises_the_mouth_corners_and_sad_lowers_them()
    {
        var neutral = CanonicalFace.Points.ToArray();
        var happy = Expressed(EmotionLabel.Happy, 1);
        var sad = Expressed(EmotionLabel.Sad, 1);

        foreach (var corner in new[] { 48, 54, 60, 64 })
        {
            Assert.True(happy[2 * corner + 1] < neutral[2 * corner + 1] - 0.04f, $"happy corner {corner}");
            Assert.True(sad[2 * corner + 1] > neutral[2 * corner + 1] + 0.03f, $"sad corner {corner}");
        }

        Assert.True(happy[2 * 48] < neutral[2 * 48] && happy[2 * 54] > neutral[2 * 54], "a smile widens the mouth");
        Assert.True(sad[2 * 21 + 1] < neutral[2 * 21 + 1] && sad[2 * 22 + 1] < neutral[2 * 22 + 1], "sad lifts the inner brows");
    }

    [Fact]
    public void Surprise_raises_the_brows_and_drops_the_jaw()
    {
        var neutral = CanonicalFace.Points.ToArray();
        var surprised = Expressed(EmotionLabel.Surprised, 1);
        for (var brow = 17; brow <= 26; brow++)
        {
            Assert.True(surprised[2 * brow + 1] < neutral[2 * brow + 1] - 0.05f, $"brow {brow}");
        }

        Assert.True(surprised[2 * 8 + 1] > neutral[2 * 8 + 1] + 0.08f, "chin");
        Assert.True(Landmarks68.MouthOpening(surprised) > Landmarks68.MouthOpening(neutral) + 0.05f, "open mouth");
        Assert.True(surprised[2 * 37 + 1] < neutral[2 * 37 + 1], "wide eyes");
    }

    [Fact]
    public void Effect_scales_with_intensity_and_probability()
    {
        var neutral = CanonicalFace.Points.ToArray();
        var full = Expressed(EmotionLabel.Happy, 1);
        var half = Expressed(EmotionLabel.Happy, 0.5f);
        Assert.Equal(0.5f * (full[2 * 54 + 1] - neutral[2 * 54 + 1]), half[2 * 54 + 1] - neutral[2 * 54 + 1], 1e-6f);

        // A 50/50 mix of happy and sad at full intensity: the corner offsets partly cancel.
        var row = new float[11];
        row[(int)EmotionLabel.Happy] = 0.5f;
        row[(int)EmotionLabel.Sad] = 0.5f;
        row[EmotionOffsets.IntensityColumn] = 1;
        var mixed = neutral.ToArray();
        EmotionOffsets.Apply(mixed, row);
        var expected = 0.5f * (EmotionOffsets.Offset(EmotionLabel.Happy)[2 * 54 + 1] + EmotionOffsets.Offset(EmotionLabel.Sad)[2 * 54 + 1]);
        Assert.Equal(expected, mixed[2 * 54 + 1] - neutral[2 * 54 + 1], 1e-6f);
    }

    [Fact]
    public void Intensity_zero_and_neutral_are_bit_identical()
    {
        var rng = new Random(31);
        var face = CanonicalFace.Points.ToArray().Select(v => v + (float)rng.NextDouble() * 1e-3f).ToArray();
        foreach (EmotionLabel label in Enum.GetValues<EmotionLabel>())
        {
            var row = new float[11];
            row[(int)label] = 1;
            row[EmotionOffsets.IntensityColumn] = 0;
            var copy = face.ToArray();
            EmotionOffsets.Apply(copy, row);
            Assert.Equal(face, copy);
        }

        var neutralRow = new float[11];
        neutralRow[(int)EmotionLabel.Neutral] = 1;
        neutralRow[EmotionOffsets.IntensityColumn] = 1;
        var neutralCopy = face.ToArray();
        EmotionOffsets.Apply(neutralCopy, neutralRow);
        Assert.Equal(face, neutralCopy);
        Assert.True(EmotionOffsets.Offset(EmotionLabel.Neutral).ToArray().All(v => v == 0));
    }

    [Fact]
    public void Every_expressive_class_moves_something_and_stays_small()
    {
        foreach (var label in Enum.GetValues<EmotionLabel>().Where(l => l != EmotionLabel.Neutral))
        {
            var offset = EmotionOffsets.Offset(label);
            var max = 0f;
            foreach (var v in offset)
            {
                max = MathF.Max(max, MathF.Abs(v));
            }

            Assert.InRange(max, 0.02f, 0.12f);
        }

        Assert.Equal(EmotionOffsets.Classes, Enum.GetValues<EmotionLabel>().Length);
    }

    private static float[] Expressed(EmotionLabel label, float intensity)
    {
        var face = CanonicalFace.Points.ToArray();
        var row = new float[11];
        row[(int)label] = 1;
        row[EmotionOffsets.IntensityColumn] = intensity;
        EmotionOffsets.Apply(face, row);
        return face;
    }
}
