using System.Globalization;
using System.Xml.Linq;

namespace Pipeline.FaceTracking.Tests;

/// <summary>One labelled face of a dlib image-dataset XML: its box and 68 (x, y) points.</summary>
internal sealed record LabelledFace(string ImagePath, FaceBox Box, float[] Xy);

/// <summary>Reads dlib's image-dataset XML (faces/testing_with_face_landmarks.xml and the like).</summary>
internal static class LandmarkTestSet
{
    public static IReadOnlyList<LabelledFace> Load(string xmlPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(xmlPath))!;
        var faces = new List<LabelledFace>();
        foreach (var image in XDocument.Load(xmlPath).Descendants("image"))
        {
            var file = Path.Combine(folder, (string)image.Attribute("file")!);
            foreach (var box in image.Elements("box"))
            {
                if ((string?)box.Attribute("ignore") == "1")
                {
                    continue; // dlib's own tools skip boxes marked ignore
                }

                var parts = box.Elements("part")
                    .Select(p => (Index: Int(p, "name"), X: Int(p, "x"), Y: Int(p, "y")))
                    .OrderBy(p => p.Index)
                    .ToArray();
                var xy = new float[parts.Length * 2];
                for (var i = 0; i < parts.Length; i++)
                {
                    if (parts[i].Index != i)
                    {
                        throw new InvalidDataException($"{xmlPath}: part {i} of a box in {file} is missing");
                    }

                    xy[2 * i] = parts[i].X;
                    xy[2 * i + 1] = parts[i].Y;
                }

                // dlib's XML box: top-left pixel and size; dlib's rectangle, as FaceBox, is inclusive.
                faces.Add(new LabelledFace(file, FaceBox.FromPixels(Int(box, "left"), Int(box, "top"), Int(box, "width"), Int(box, "height")), xy));
            }
        }

        return faces;
    }

    private static int Int(XElement e, string name) =>
        int.Parse((string?)e.Attribute(name) ?? throw new InvalidDataException($"<{e.Name}> lacks '{name}'"), CultureInfo.InvariantCulture);
}
