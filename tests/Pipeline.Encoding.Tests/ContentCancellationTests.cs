using System.Diagnostics;
using Pipeline.Encoding.Content;
using Pipeline.Media;
using Pipeline.TestSupport;

namespace Pipeline.Encoding.Tests;

/// <summary>
/// A worker whose broker connection drops has its consume cancelled, and MassTransit brings the endpoint back only
/// once every consume has returned: content encoding must end soon after cancellation wherever it is (reading,
/// recognising, restarting a collapsed recogniser, smoothing), and leave no recogniser or decoder running.
/// </summary>
public sealed class ContentCancellationTests
{
    [Fact]
    public async Task Cancelling_at_any_point_ends_the_encoding_promptly_and_leaves_no_child_process()
    {
        EncodingTools.RequireModel();
        EncodingTools.RequirePocketSphinx();
        using var scratch = new ScratchDirectory("content-cancel");
        // A copy in the scratch folder, so every decoder and recogniser this test starts names the folder: other tests
        // of this assembly run side by side in the same process, with children of their own.
        var speech = scratch.File("speech.wav");
        File.Copy(TestData.Require("audio/long_sun_22s.wav"), speech);
        // 6 s windows: several recognisers in flight at once, as on a long clip.
        var tools = new EncodingTools(new ContentEncoderOptions { ChunkSeconds = 6, ChunkSearchSeconds = 1 });

        foreach (var after in (double[])[0.05, 0.3, 1, 2, 4, 7])
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(after));
            var watch = Stopwatch.StartNew();
            var outcome = "completed";
            try
            {
                await tools.Encoder.EncodeAsync(speech, 25, 1, -1, scratch.File($"cancel-{after}"), ContentMethod.Fused, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                outcome = "cancelled";
            }
            catch (MediaException e) when (e.Kind == MediaErrorKind.Cancelled)
            {
                outcome = "cancelled (media)";
            }

            var late = watch.Elapsed.TotalSeconds - after;
            TestContext.Current.TestOutputHelper?.WriteLine($"cancel after {after} s: {outcome}, returned {late:F2} s later");
            Assert.True(late < 10, $"cancelled after {after} s, the encoder returned {late:F1} s later ({outcome})");
            var left = Children("pocketsphinx_continuous", scratch.Path).Concat(Children("ffmpeg", scratch.Path)).ToList();
            Assert.True(left.Count == 0, $"cancelled after {after} s: still running: {string.Join(", ", left)}");
        }
    }

    // Children of this test process whose command line names this test's folder.
    private static List<string> Children(string name, string folder)
    {
        var self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var found = new List<string>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var comm = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (comm == name[..Math.Min(name.Length, 15)] && fields[1] == self && fields[0] != "Z" && cmdline.Contains(folder, StringComparison.Ordinal))
                {
                    found.Add($"{comm} {pid} ({fields[0]}): {cmdline}");
                }
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
        }

        return found;
    }
}
