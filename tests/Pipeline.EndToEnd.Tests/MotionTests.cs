using System.Text.Json;
using Pipeline.Features;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>`./pipeline motion`: the dub motion stage on a real clip and real new speech.</summary>
public sealed class MotionTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("motion");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Predicts_pixel_landmarks_for_new_speech_deterministically_and_emotion_moves_them_as_asked()
    {
        var video = TestData.Require("video/retalk_5.mp4");
        var audio = TestData.Require("audio/en_radio31.wav");
        var cache = _scratch.File("cache");

        async Task<(JsonElement Json, float[] Landmarks, string Folder)> Run(string name, params string[] extra)
        {
            var folder = _scratch.File(name);
            var result = await PipelineCli.RunAsync(_scratch.File("home"), ["motion", "--video", video, "--audio", audio, "--out", folder, "--cache", cache, "--json", .. extra]);
            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
            var landmarks = NpyReader.Load<float>(Path.Combine(folder, "landmarks.npy"));
            return (JsonDocument.Parse(result.Stdout).RootElement, landmarks.Data, folder);
        }

        var neutral = await Run("neutral");
        var frames = neutral.Json.GetProperty("frames").GetInt32();
        Assert.Equal(122, frames); // the video is the shorter: 122 frames against 8 s of speech
        Assert.Equal(frames * 136, neutral.Landmarks.Length);
        Assert.True(File.Exists(Path.Combine(neutral.Folder, "motion.json")));
        Assert.InRange(neutral.Json.GetProperty("fit_s").GetDouble(), 0, 60);

        // The same inputs give the same bytes.
        var again = await Run("again");
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(neutral.Folder, "landmarks.npy"), TestContext.Current.CancellationToken),
            await File.ReadAllBytesAsync(Path.Combine(again.Folder, "landmarks.npy"), TestContext.Current.CancellationToken));

        // Points are in the frame's pixels (the clip is 512 wide and the face fills much of it), and the upper face
        // is the tracked one.
        Assert.InRange(neutral.Landmarks[2 * 30], 100, 420);

        // Emotion, measured on the output landmarks against neutral (y grows downwards).
        var happy = await Run("happy", "--emotion", "happy:1");
        var sad = await Run("sad", "--emotion", "sad:1");
        var surprised = await Run("surprised", "--emotion", "surprised:1");
        var zero = await Run("zero", "--emotion", "happy:0");
        double Mean(float[] l, int point, int axis) => Enumerable.Range(0, frames).Average(f => l[(f * 136) + (2 * point) + axis]);
        double Corners(float[] l) => (Mean(l, 48, 1) + Mean(l, 54, 1)) / 2;
        double Brows(float[] l) => (Mean(l, 19, 1) + Mean(l, 24, 1)) / 2;
        Assert.True(Corners(happy.Landmarks) < Corners(neutral.Landmarks) - 1, "happy raises the corners");
        Assert.True(Corners(sad.Landmarks) > Corners(neutral.Landmarks) + 1, "sad lowers the corners");
        Assert.True(Brows(surprised.Landmarks) < Brows(neutral.Landmarks) - 1, "surprised raises the brows");
        Assert.True(Mean(surprised.Landmarks, 8, 1) > Mean(neutral.Landmarks, 8, 1) + 1, "surprised opens the jaw");
        Assert.Equal(neutral.Landmarks, zero.Landmarks);
    }
    [Fact]
    public async Task A_preview_draws_the_motion_on_the_lower_face_and_leaves_the_rest_of_the_frame()
    {
        var video = TestData.Require("video/retalk_5.mp4"); // 524x524, 122 frames
        var audio = TestData.Require("audio/en_radio31.wav");
        var preview = _scratch.File("preview.mp4");
        var result = await PipelineCli.RunAsync(
            _scratch.File("home"), ["motion", "--video", video, "--audio", audio, "--out", _scratch.File("out"), "--preview", preview, "--json"]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");

        Assert.Equal("524,524,122", Ffmpeg.Probe("-select_streams", "v:0", "-count_frames", "-show_entries", "stream=width,height,nb_read_frames", "-of", "csv=p=0", preview).Trim());
        Assert.Equal("aac", Ffmpeg.Probe("-select_streams", "a:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", preview).Trim());

        // Decode both, compare the top third (forehead, eyes: never warped) with the lower face's middle.
        var original = Decode(video, "orig.rgb");
        var drawn = Decode(preview, "drawn.rgb");
        double MeanDifference(int top, int bottom, int left, int right)
        {
            double sum = 0;
            long count = 0;
            for (var f = 0; f < 122; f++)
            {
                for (var y = top; y < bottom; y++)
                {
                    for (var x = left; x < right; x++)
                    {
                        var i = ((((long)f * 524) + y) * 524 + x) * 3;
                        sum += Math.Abs(original[i] - drawn[i]) + Math.Abs(original[i + 1] - drawn[i + 1]) + Math.Abs(original[i + 2] - drawn[i + 2]);
                        count += 3;
                    }
                }
            }

            return sum / count;
        }

        var upper = MeanDifference(0, 170, 0, 524);
        var mouth = MeanDifference(300, 420, 180, 344);
        Assert.True(upper < 2.0, $"upper face changed by {upper:F2} levels on average (re-encoding alone)");
        Assert.True(mouth > 2 * upper, $"the mouth region changed by {mouth:F2} levels, the upper face by {upper:F2}");
    }

    private byte[] Decode(string path, string name)
    {
        var raw = _scratch.File(name);
        Ffmpeg.Run("-i", path, "-map", "0:v:0", "-frames:v", "122", "-f", "rawvideo", "-pix_fmt", "rgb24", raw);
        return File.ReadAllBytes(raw);
    }
}
