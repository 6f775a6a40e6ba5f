using System.Text;

namespace Pipeline.Storage.Tests;

/// <summary>
/// What every <see cref="IObjectStore"/> promises, run against each implementation: the local folder and the
/// real S3 server. A derived class answers <see cref="OpenStore"/> (skipping when its server is absent).
/// </summary>
public abstract class ObjectStoreContractTests
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract IObjectStore OpenStore();

    [Fact]
    public async Task Put_then_read_round_trips_bytes_and_size()
    {
        var store = OpenStore();
        var bytes = Encoding.UTF8.GetBytes("hello artifacts");
        var info = await store.PutAsync("mux/v1/abc/out.txt", new MemoryStream(bytes), "text/plain", Ct);

        Assert.Equal(bytes.Length, info.SizeBytes);
        await using var read = await store.OpenReadAsync("mux/v1/abc/out.txt", Ct);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);
        Assert.Equal(bytes, copy.ToArray());
        var stat = await store.StatAsync("mux/v1/abc/out.txt", Ct);
        Assert.NotNull(stat);
        Assert.Equal(bytes.Length, stat.SizeBytes);
        Assert.True(stat.LastModified > DateTimeOffset.UtcNow.AddHours(-1), $"last modified {stat.LastModified:o}");
    }

    [Fact]
    public async Task A_write_that_fails_midway_leaves_no_object()
    {
        var store = OpenStore();

        await Assert.ThrowsAsync<IOException>(() => store.PutAsync("a/v1/fails/file.bin", new FailingStream(100_000), ct: Ct));

        Assert.Null(await store.StatAsync("a/v1/fails/file.bin", Ct));
    }

    [Fact]
    public async Task Readers_see_the_old_object_or_the_new_one_never_a_mix()
    {
        var store = OpenStore();
        var key = "a/v1/x/file.bin";
        await store.PutAsync(key, new MemoryStream(new byte[1 << 20]), ct: Ct);
        var writer = Task.Run(
            async () =>
            {
                for (var i = 1; i <= 20; i++)
                {
                    var fill = new byte[1 << 20];
                    Array.Fill(fill, (byte)i);
                    await store.PutAsync(key, new MemoryStream(fill), ct: Ct);
                }
            },
            Ct);

        while (!writer.IsCompleted)
        {
            await using var read = await store.OpenReadAsync(key, Ct);
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy, Ct);
            var data = copy.ToArray();
            Assert.Equal(1 << 20, data.Length);
            Assert.All(data, b => Assert.Equal(data[0], b));
        }

        await writer;
    }

    [Fact]
    public async Task Missing_objects_are_reported_by_key()
    {
        var store = OpenStore();

        var ex = await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.OpenReadAsync("no/v1/such/thing", Ct));
        Assert.Equal("no/v1/such/thing", ex.Key);
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.GetLocalFileAsync("no/v1/such/thing", Ct));
        Assert.Null(await store.StatAsync("no/v1/such/thing", Ct));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../etc/passwd")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("with space")]
    [InlineData("semi;colon")]
    [InlineData("%2e%2e/x")]
    [InlineData("")]
    public async Task Hostile_keys_are_rejected_before_touching_the_store(string key)
    {
        var store = OpenStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(key, new MemoryStream([1]), ct: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.StatAsync(key, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(key, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetLocalFileAsync(key, Ct));
    }

    [Fact]
    public async Task Listing_a_prefix_returns_only_committed_objects_under_it()
    {
        var store = OpenStore();
        await store.PutAsync("s/v1/h1/a.bin", new MemoryStream([1]), ct: Ct);
        await store.PutAsync("s/v1/h2/b.bin", new MemoryStream([2, 2]), ct: Ct);
        await store.PutAsync("t/v1/h3/c.bin", new MemoryStream([3]), ct: Ct);

        var listed = new List<ObjectInfo>();
        await foreach (var o in store.ListAsync("s/v1/", Ct))
        {
            listed.Add(o);
        }

        Assert.Equal(["s/v1/h1/a.bin", "s/v1/h2/b.bin"], listed.Select(o => o.Key));
        Assert.Equal([1L, 2L], listed.Select(o => o.SizeBytes));
    }

    [Fact]
    public async Task Listing_reaches_nested_folders_and_matches_a_partial_name()
    {
        var store = OpenStore();
        await store.PutAsync("tenants/acme/videos/ep01.mp4", new MemoryStream([1]), ct: Ct);
        await store.PutAsync("tenants/acme/videos/s2/ep01.mp4", new MemoryStream([2]), ct: Ct);
        await store.PutAsync("tenants/acme/videos-old/ep01.mp4", new MemoryStream([3]), ct: Ct);

        Assert.Equal(["tenants/acme/videos/ep01.mp4", "tenants/acme/videos/s2/ep01.mp4"], await KeysAsync(store, "tenants/acme/videos/"));
        Assert.Equal(
            ["tenants/acme/videos-old/ep01.mp4", "tenants/acme/videos/ep01.mp4", "tenants/acme/videos/s2/ep01.mp4"],
            (await KeysAsync(store, "tenants/acme/vid")).Order(StringComparer.Ordinal));
        Assert.Empty(await KeysAsync(store, "tenants/nobody/"));
    }

    [Fact]
    public async Task A_listing_prefix_cannot_climb_out_of_the_store()
    {
        var store = OpenStore();

        await Assert.ThrowsAsync<ArgumentException>(() => KeysAsync(store, "../"));
        await Assert.ThrowsAsync<ArgumentException>(() => KeysAsync(store, "tenants/../../"));
    }

    [Fact]
    public async Task Deleted_objects_are_gone_and_deleting_again_is_harmless()
    {
        var store = OpenStore();
        await store.PutAsync("d/v1/h/gone.bin", new MemoryStream([1, 2, 3]), ct: Ct);

        await store.DeleteAsync("d/v1/h/gone.bin", Ct);
        await store.DeleteAsync("d/v1/h/gone.bin", Ct);

        Assert.Null(await store.StatAsync("d/v1/h/gone.bin", Ct));
    }

    [Fact]
    public async Task A_local_file_lease_holds_the_bytes()
    {
        var store = OpenStore();
        var path = Path.Combine(Path.GetTempPath(), $"put-{Guid.NewGuid():N}.bin");
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        await File.WriteAllBytesAsync(path, bytes, Ct);
        try
        {
            await store.PutFileAsync("f/v1/h/file.bin", path, ct: Ct);
        }
        finally
        {
            File.Delete(path);
        }

        using var lease = await store.GetLocalFileAsync("f/v1/h/file.bin", Ct);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(lease.Path, Ct));
    }

    private static async Task<List<string>> KeysAsync(IObjectStore store, string prefix)
    {
        var keys = new List<string>();
        await foreach (var o in store.ListAsync(prefix, Ct))
        {
            keys.Add(o.Key);
        }

        return keys;
    }
}
