using Pipeline.TestSupport;

namespace Pipeline.Storage.Tests;

public sealed class LocalObjectStoreTests : ObjectStoreContractTests, IDisposable
{
    private readonly ScratchDirectory _scratch = new("store");
    private readonly LocalObjectStore _store;

    public LocalObjectStoreTests() => _store = new LocalObjectStore(_scratch.Path);

    public void Dispose() => _scratch.Dispose();

    protected override IObjectStore OpenStore() => _store;

    [Fact]
    public async Task A_write_that_fails_midway_leaves_no_temp_file()
    {
        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync("a/v1/x/file.bin", new FailingStream(100_000), ct: Ct));

        Assert.Empty(Directory.GetFiles(Path.Combine(_scratch.Path, ".tmp")));
    }

    [Fact]
    public async Task A_local_lease_is_the_stored_file_itself_and_outlives_disposal()
    {
        await _store.PutAsync("a/v1/x/kept.bin", new MemoryStream([1, 2]), ct: Ct);

        var lease = await _store.GetLocalFileAsync("a/v1/x/kept.bin", Ct);
        lease.Dispose();

        Assert.True(File.Exists(lease.Path));
        Assert.StartsWith(_store.Root, lease.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_store_hands_out_no_download_urls()
    {
        Assert.Null(_store.GetDownloadUrl("a/v1/x/kept.bin", TimeSpan.FromMinutes(5)));
    }
}
