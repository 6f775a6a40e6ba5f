using System.Text.Json;
using Pipeline.Encoding.Content;
using Pipeline.Encoding.Content.HeadAudio;

namespace Pipeline.Encoding.Tests;

public sealed class HeadAudioTests
{
    [Fact]
    public void ModelFileHasSaneHeaderFields()
    {
        var model = HeadAudioModel.Load(EncodingTools.RequireModel());

        Assert.Equal(14352 / HeadAudioModel.RecordBytes, model.Prototypes.Count); // 39 prototypes, no trailing bytes
        Assert.All(model.Prototypes, p =>
        {
            Assert.InRange(p.Viseme, 0, HeadAudioVisemes.Count - 1);
            Assert.InRange(p.Phoneme.Length, 1, 2);
            for (var i = 0; i < HeadAudioModel.Dimensions; i++)
            {
                // Diagonal of an inverse covariance is positive; means of tanh-compressed MFCCs lie in (-1, 1).
                Assert.True(p.SigmaInvLower[(i * (i + 1) / 2) + i] > 0, $"{p.Phoneme}: diagonal {i}");
                Assert.InRange(p.Mu[i], -1f, 1f);
            }
        });
        Assert.Contains(model.Prototypes, p => p.Phoneme == "m" && p.Viseme == 5);
        Assert.Contains(model.Prototypes, p => p.Phoneme == "ð" && p.Viseme == 7);
        Assert.Contains(model.Prototypes, p => p.Viseme == HeadAudioVisemes.Sil);
        // Every one of HeadAudio's visemes has at least one prototype.
        Assert.Equal(HeadAudioVisemes.Count, model.Prototypes.Select(p => p.Viseme).Distinct().Count());
    }

    [Fact]
    public void TruncatedOrEmptyModelIsAClearError()
    {
        Assert.Throws<InvalidDataException>(() => HeadAudioModel.Parse(new byte[HeadAudioModel.RecordBytes - 1]));
        var bad = new byte[HeadAudioModel.RecordBytes];
        bad[7] = 15; // viseme id out of range
        Assert.Throws<InvalidDataException>(() => HeadAudioModel.Parse(bad));
        Assert.Throws<FileNotFoundException>(() => HeadAudioModel.Load("/nonexistent/model.bin"));
    }

    [Fact]
    public void HeadAudioVisemesMapByName()
    {
        Assert.Equal(Visemes.Aa, HeadAudioVisemes.ToViseme(0));
        Assert.Equal(Visemes.PP, HeadAudioVisemes.ToViseme(5));
        Assert.Equal(Visemes.Sil, HeadAudioVisemes.ToViseme(HeadAudioVisemes.Sil));
        Assert.Equal(HeadAudioVisemes.Count, Enumerable.Range(0, HeadAudioVisemes.Count).Select(HeadAudioVisemes.ToViseme).Distinct().Count());
    }

    /// <summary>
    /// Faithfulness: the C# front end and classifier against HeadAudio's own JS (processor.mjs run under node on the
    /// same deterministic signal; Fixtures/headaudio-reference.mjs). Same hop times, VAD decisions, MFCC vectors
    /// and nearest viseme.
    /// </summary>
    [Fact]
    public void MatchesTheJavaScriptReference()
    {
        var model = HeadAudioModel.Load(EncodingTools.RequireModel());
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "headaudio-reference.json")));
        var expected = doc.RootElement.GetProperty("features").EnumerateArray().ToArray();
        var classified = doc.RootElement.GetProperty("classified").EnumerateArray().ToArray();

        const int rate = 48000;
        var x = new float[rate];
        long seed = 12345;
        for (var i = 0; i < x.Length; i++)
        {
            seed = seed * 16807 % 2147483647;
            var noise = (seed / 2147483647.0) - 0.5;
            var env = i / 9600 % 2 == 0 ? 1 : 0.001;
            x[i] = (float)(env * ((0.3 * Math.Sin(2 * Math.PI * 220 * i / rate)) + (0.2 * Math.Sin(2 * Math.PI * 1250 * i / rate)) + (0.1 * noise)));
        }

        var sink = new RecordingSink(new HeadAudioClassifier(model));
        new HeadAudioFrontEnd(rate).Process(x, sink);

        var active = sink.Features.Where(f => f.Active).ToArray();
        Assert.Equal(expected.Length, active.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k].GetProperty("t").GetDouble(), active[k].End - 0.016, 9);
            Assert.Equal(expected[k].GetProperty("le").GetDouble(), active[k].Le, 5);
            var v = expected[k].GetProperty("v").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            for (var j = 0; j < v.Length; j++)
            {
                Assert.True(Math.Abs(v[j] - active[k].Vector[j]) < 1e-4, $"feature {k} (t={active[k].End - 0.016:0.000}) coefficient {j}: JS {v[j]}, C# {active[k].Vector[j]}");
            }
        }

        foreach (var c in classified)
        {
            var t = c.GetProperty("t").GetDouble();
            var mine = active.Single(f => Math.Abs(f.End - 0.016 - t) < 1e-9);
            Assert.Equal(c.GetProperty("nearest").GetInt32(), mine.Nearest);
            var d = c.GetProperty("d").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (var p = 0; p < d.Length; p++)
            {
                Assert.Equal(d[p], mine.Distances[p], 1e-3 * Math.Max(1, Math.Abs(d[p])));
            }
        }
    }

    private sealed record Feature(double End, double Le, bool Active, float[] Vector, int Nearest, double[] Distances);

    private sealed class RecordingSink(HeadAudioClassifier classifier) : IHeadAudioFeatureSink
    {
        public List<Feature> Features { get; } = [];

        public void OnFeature(double endSeconds, ReadOnlySpan<float> vector, double logEnergy, bool active)
        {
            var nearest = classifier.Classify(vector);
            Features.Add(new Feature(endSeconds, logEnergy, active, vector.ToArray(), nearest, classifier.Distances.ToArray()));
        }
    }
}
