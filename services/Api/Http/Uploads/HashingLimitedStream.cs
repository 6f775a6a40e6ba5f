using System.Security.Cryptography;
using Pipeline.Storage;

namespace Pipeline.Api.Http.Uploads;

/// <summary>
/// A read-only pass-through that hashes what it reads and throws <see cref="ContentTooLargeException"/> past a limit:
/// a form upload's content address is known only once it has streamed, and an oversized part fails the store's write
/// before it commits, so nothing of it is stored.
/// </summary>
public sealed class HashingLimitedStream(Stream inner, long maxBytes) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _sha256;

    public long BytesRead { get; private set; }

    /// <summary>The SHA-256 of everything read, once the inner stream has ended.</summary>
    public string Sha256Hex => _sha256 ?? throw new InvalidOperationException("the stream has not been read to its end");

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        return Account(buffer[..n]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        return Account(buffer.Span[..n]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> read)
    {
        if (read.Length == 0)
        {
            _sha256 ??= Convert.ToHexStringLower(_hash.GetHashAndReset());
            return 0;
        }

        BytesRead += read.Length;
        if (BytesRead > maxBytes)
        {
            throw new ContentTooLargeException(maxBytes);
        }

        _hash.AppendData(read);
        return read.Length;
    }
}
