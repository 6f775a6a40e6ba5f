using System.Text.Json;
using Pipeline.TestSupport;
using Pipeline.TestSupport.Onnx;

namespace Pipeline.EndToEnd.Tests;

/// <summary>
/// `./pipeline dub --backend onnx --model M` with a model the test writes itself (the negative of the reference face,
/// so its work is unmistakable): the lower face is redrawn, the rest is the original; a missing or bad manifest is
/// refused with one line.
/// </summary>
public sealed class OnnxDubTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("onnx-dub");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Dub_with_an_onnx_model_redraws_the_lower_face_and_nothing_else()
    {
        var clip = _scratch.File("clip.mp4");
        Ffmpeg.Run("-i", TestData.Require("video/vox_00086.mp4"), "-t", "3", "-vf", "scale=256:256,setsar=1,fps=25", "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", "-c:a", "aac", clip);
        var model = LinearFaceModel.Negative().WriteWithManifest(_scratch.File("model"), batchSize: 8);
        var (output, home) = (_scratch.File("out.mp4"), _scratch.File("home"));

        var result = await PipelineCli.RunAsync(
            home, ["dub", "--video", clip, "--audio", TestData.Require("audio/en_radio31.wav"), "--out", output, "--backend", "onnx", "--model", model, "--json"]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal("onnx", json.GetProperty("backend").GetString());
        var render = json.GetProperty("render");
        var frames = render.GetProperty("frames").GetInt64();
        Assert.InRange(frames, 74, 76);
        Assert.True(render.GetProperty("faces_drawn").GetInt64() >= 0.9 * frames);
        var motion = Path.Combine(home, "store", json.GetProperty("motion").GetProperty("artifact").GetString()!);
        Assert.True(FrameComparison.OutsideLowerFacePsnr(clip, output, motion, 256, 256) >= 40);
        var mouth = FrameComparison.MouthMeanDifference(clip, output, motion, 256, 256);
        Assert.True(mouth > 20, $"the mouth changed by only {mouth:F1} luma levels");
    }

    [Fact]
    public async Task Onnx_without_a_model_is_refused_at_submit_with_the_reason()
    {
        var result = await PipelineCli.RunAsync(
            _scratch.File("home"), ["dub", "--video", TestData.Require("video/vox_00086.mp4"), "--audio", TestData.Require("audio/en_radio31.wav"), "--out", _scratch.File("o.mp4"), "--backend", "onnx"]);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("the onnx backend needs a model manifest: pass --model path/to/manifest.json", line);
    }

    [Fact]
    public async Task A_bad_manifest_is_refused_with_one_line_naming_it()
    {
        var manifest = LinearFaceModel.Negative().WriteWithManifest(_scratch.File("bad"));
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"contract\":\"wav2lip\"", "\"contract\":\"sadtalker\"", StringComparison.Ordinal));

        var result = await PipelineCli.RunAsync(
            _scratch.File("home"), ["dub", "--video", TestData.Require("video/vox_00086.mp4"), "--audio", TestData.Require("audio/en_radio31.wav"), "--out", _scratch.File("o.mp4"), "--model", manifest]);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--model: test-model.json: unknown contract 'sadtalker'", line);
    }
}
