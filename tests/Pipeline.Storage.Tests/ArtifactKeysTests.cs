using Pipeline.Storage;

namespace Pipeline.Storage.Tests;

public sealed class ArtifactKeysTests
{
    [Fact]
    public void Equal_inputs_and_options_give_equal_keys()
    {
        var a = ArtifactKeys.ForStage("mux", 1, new { video = "inputs/1/v.mp4", policy = "Cut" }, "output.mp4");
        var b = ArtifactKeys.ForStage("mux", 1, new { video = "inputs/1/v.mp4", policy = "Cut" }, "output.mp4");

        Assert.Equal(a, b);
        Assert.Matches("^mux/v1/[0-9a-f]{64}/output.mp4$", a);
    }

    [Fact]
    public void Any_change_of_input_option_or_version_changes_the_key()
    {
        var baseline = ArtifactKeys.ForStage("mux", 1, new { video = "v1", policy = "Cut" }, "o.mp4");

        Assert.NotEqual(baseline, ArtifactKeys.ForStage("mux", 1, new { video = "v2", policy = "Cut" }, "o.mp4"));
        Assert.NotEqual(baseline, ArtifactKeys.ForStage("mux", 1, new { video = "v1", policy = "Loop" }, "o.mp4"));
        Assert.NotEqual(baseline, ArtifactKeys.ForStage("mux", 2, new { video = "v1", policy = "Cut" }, "o.mp4"));
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("my holiday clip (final).mp4", "my_holiday_clip__final_.mp4")]
    [InlineData("...", "file")]
    [InlineData("日本語.wav", "___.wav")]
    [InlineData(null, "file")]
    public void User_file_names_become_safe_key_segments(string? name, string expected)
    {
        Assert.Equal(expected, ObjectKey.SanitizeName(name));
    }

    [Fact]
    public async Task Input_keys_are_addressed_by_content()
    {
        var hash = await ArtifactKeys.Sha256HexAsync(new MemoryStream("abc"u8.ToArray()), TestContext.Current.CancellationToken);

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hash);
        Assert.Equal($"inputs/{hash}/clip.mp4", ArtifactKeys.ForInput(hash, "/some/where/clip.mp4"));
    }
}
