using System.Text;
using Pipeline.Storage;
using Pipeline.TestSupport;

namespace Pipeline.Storage.Tests;

public sealed class LocalObjectStoreTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("store");
    private readonly LocalObjectStore _store;

    public LocalObjectStoreTests() => _store = new LocalObjectStore(_scratch.Path);

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Put_then_read_round_trips_bytes_and_size()
    {
        var bytes = Encoding.UTF8.GetBytes("hello artifacts");
        var info = await _store.PutAsync("mux/v1/abc/out.txt", new MemoryStream(bytes), ct: TestContext.Current.CancellationToken);

        Assert.Equal(bytes.Length, info.SizeBytes);
        await using var read = await _store.OpenReadAsync("mux/v1/abc/out.txt", TestContext.Current.CancellationToken);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, TestContext.Current.CancellationToken);
        Assert.Equal(bytes, copy.ToArray());
        Assert.NotNull(await _store.StatAsync("mux/v1/abc/out.txt", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_write_that_fails_midway_leaves_no_object_and_no_temp_file()
    {
        var stream = new FailingStream(bytesBeforeFailure: 100_000);

        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync("a/v1/x/file.bin", stream, ct: TestContext.Current.CancellationToken));

        Assert.Null(await _store.StatAsync("a/v1/x/file.bin", TestContext.Current.CancellationToken));
        Assert.Empty(Directory.GetFiles(Path.Combine(_scratch.Path, ".tmp")));
    }

    [Fact]
    public async Task Readers_see_the_old_object_or_the_new_one_never_a_mix()
    {
        var key = "a/v1/x/file.bin";
        var ct = TestContext.Current.CancellationToken;
        await _store.PutAsync(key, new MemoryStream(new byte[1 << 20]), ct: ct);
        var writer = Task.Run(
            async () =>
            {
                for (var i = 1; i <= 20; i++)
                {
                    var fill = new byte[1 << 20];
                    Array.Fill(fill, (byte)i);
                    await _store.PutAsync(key, new MemoryStream(fill), ct: ct);
                }
            },
            ct);

        while (!writer.IsCompleted)
        {
            await using var read = await _store.OpenReadAsync(key, ct);
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy, ct);
            var data = copy.ToArray();
            Assert.Equal(1 << 20, data.Length);
            Assert.All(data, b => Assert.Equal(data[0], b));
        }

        await writer;
    }

    [Fact]
    public async Task Missing_objects_are_reported_by_key()
    {
        var ex = await Assert.ThrowsAsync<ObjectNotFoundException>(() => _store.OpenReadAsync("no/v1/such/thing", TestContext.Current.CancellationToken));
        Assert.Equal("no/v1/such/thing", ex.Key);
        Assert.Null(await _store.StatAsync("no/v1/such/thing", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../etc/passwd")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("with space")]
    [InlineData("semi;colon")]
    [InlineData("")]
    public async Task Hostile_keys_are_rejected_before_touching_the_disk(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(key, new MemoryStream([1]), ct: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Listing_a_prefix_returns_only_committed_objects_under_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await _store.PutAsync("s/v1/h1/a.bin", new MemoryStream([1]), ct: ct);
        await _store.PutAsync("s/v1/h2/b.bin", new MemoryStream([2]), ct: ct);
        await _store.PutAsync("t/v1/h3/c.bin", new MemoryStream([3]), ct: ct);

        var keys = new List<string>();
        await foreach (var o in _store.ListAsync("s/v1/", ct))
        {
            keys.Add(o.Key);
        }

        Assert.Equal(["s/v1/h1/a.bin", "s/v1/h2/b.bin"], keys);
    }

    private sealed class FailingStream(int bytesBeforeFailure) : Stream
    {
        private int _left = bytesBeforeFailure;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_left <= 0)
            {
                throw new IOException("connection reset");
            }

            var n = Math.Min(count, _left);
            _left -= n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
