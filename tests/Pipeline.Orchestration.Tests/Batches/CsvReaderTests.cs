using Pipeline.Api.Batches;

namespace Pipeline.Orchestration.Tests.Batches;

public sealed class CsvReaderTests
{
    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks()
    {
        var records = CsvReader.Read("id,outputName\r\n\"ep 1, part 2\",\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n");

        Assert.Equal(3, records.Count);
        Assert.Equal(["ep 1, part 2", "say \"hi\""], records[1].Fields);
        Assert.Equal(["3", "two\nlines"], records[2].Fields);
        Assert.Equal(3, records[2].Line);
    }

    [Fact]
    public void A_byte_order_mark_blank_lines_and_a_missing_final_newline_are_tolerated()
    {
        var records = CsvReader.Read("\uFEFFvideo,audio\n\nv.mp4 , a.wav\n\r\nw.mp4,");

        Assert.Equal(["video", "audio"], records[0].Fields);
        Assert.Equal(["v.mp4", "a.wav"], records[1].Fields);
        Assert.Equal(["w.mp4", ""], records[2].Fields);
        Assert.Equal(3, records.Count);
    }

    [Theory]
    [InlineData("a,b\n\"never closed,1\n")]
    [InlineData("a,b\nx\"y,1\n")]
    [InlineData("a,b\n\"x\"y,1\n")]
    public void Malformed_quoting_is_refused_with_the_line(string csv)
    {
        var e = Assert.Throws<FormatException>(() => CsvReader.Read(csv));
        Assert.Contains("line 2", e.Message);
    }
}
