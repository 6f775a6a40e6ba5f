using System.Xml.Linq;
using Pipeline.Motion.Evaluation;

namespace Pipeline.Motion.Tests.Evaluation;

public sealed class EvalPlotsTests
{
    private static readonly string[] Names = ["real", "ours", "generic", "static", "energy"];
    private static readonly string[] Colours = ["#000000", "#d62728", "#1f77b4", "#7f7f7f", "#2ca02c"];

    [Theory]
    [InlineData(250)]
    [InlineData(5000)]
    public void TheOpeningPlotIsOneSvgWithEverySeries(int frames)
    {
        var series = Names.Select((name, i) => (name, Enumerable.Range(0, frames).Select(f => f == 40 ? double.NaN : 0.1 + (0.05 * i) + (0.1 * Math.Sin(f * 0.3))).ToArray(), Colours[i])).ToList();
        var vad = Enumerable.Range(0, frames).Select(f => (byte)(f % 100 < 70 ? 1 : 0)).ToArray();

        var svg = EvalPlots.MouthOpeningSvg("clip <a> & b", 25, frames * 6 / 10, series, vad);

        Assert.StartsWith("<svg", svg);
        foreach (var name in Names)
        {
            Assert.Contains(name, svg);
        }

        var root = XDocument.Parse(svg).Root!; // well-formed, the title escaped
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(Names.Length, root.Descendants(ns + "path").Count());
        Assert.Contains("train", svg);
        Assert.Contains("test", svg);
        Assert.Equal(frames / 100, root.Descendants(ns + "rect").Count(r => (string?)r.Attribute("fill") == "#dbe7f5" && (string?)r.Attribute("width") != "18"));
    }

    [Fact]
    public void TheLandmarkSheetIsAPngOfTheDocumentedSize()
    {
        const int frames = 30;
        var rows = Names.Select((name, i) => (name, EvalFaces.Talking(frames, f => 0.02 * i * (f % 5)))).ToList();
        int[] picks = [0, 7, 14, 29];

        var png = EvalPlots.LandmarkSheetPng(rows, frames, picks, cell: 120);

        var (width, height) = PngProbe.HeaderSize(png);
        Assert.Equal(5 * 120, width);
        Assert.Equal(11 + (5 * 120), height); // header 11·max(1, 120 / 80) = 11
        var rgb = PngProbe.DecodeRgb(png);
        Assert.Equal([255, 255, 255], rgb[..3]);
        Assert.Contains(Enumerable.Range(0, width * height), i => rgb[3 * i] > 200 && rgb[(3 * i) + 1] < 60 && rgb[(3 * i) + 2] < 60);
    }

    [Fact]
    public void TheDefaultCellIs160Pixels()
    {
        var rows = new List<(string, float[])> { ("real", EvalFaces.Talking(3, _ => 0.1)) };

        var (width, height) = PngProbe.HeaderSize(EvalPlots.LandmarkSheetPng(rows, 3, [1, 2]));

        Assert.Equal(3 * 160, width);
        Assert.Equal(22 + 160, height);
    }

    [Fact]
    public void PicksOutsideTheClipAreRejected()
    {
        var rows = new List<(string, float[])> { ("real", EvalFaces.Talking(3, _ => 0.1)) };
        Assert.Throws<ArgumentOutOfRangeException>(() => EvalPlots.LandmarkSheetPng(rows, 3, [3]));
    }
}
