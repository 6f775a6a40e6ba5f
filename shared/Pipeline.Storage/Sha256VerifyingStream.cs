using System.Security.Cryptography;

namespace Pipeline.Storage;

/// <summary>
/// A read-only pass-through that hashes what it reads and, at end of stream, throws when the bytes are not the ones
/// the caller declared. The store's writer sees the exception before it commits (local: before the rename; S3: before
/// the single PUT or CompleteMultipartUpload), so an upload whose bytes do not match its content-addressed key is
/// never visible under that key. Without an expected hash it only hashes and limits: a form upload's content address
/// is known once it has streamed (<see cref="Sha256Hex"/>). Past <c>maxBytes</c> it throws
/// <see cref="ContentTooLargeException"/>, which likewise fails the write before it commits.
/// </summary>
public sealed class Sha256VerifyingStream(Stream inner, string? expectedSha256Hex, long maxBytes) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;
    private string? _sha256;

    public long BytesRead => _read;

    /// <summary>The SHA-256 of everything read, once the inner stream has ended.</summary>
    public string Sha256Hex => _sha256 ?? throw new InvalidOperationException("the stream has not been read to its end");

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
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
        if (read.Length > 0)
        {
            _read += read.Length;
            if (_read > maxBytes)
            {
                throw new ContentTooLargeException(maxBytes);
            }

            _hash.AppendData(read);
            return read.Length;
        }

        _sha256 ??= Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (expectedSha256Hex is not null && !string.Equals(_sha256, expectedSha256Hex, StringComparison.OrdinalIgnoreCase))
        {
            throw new ContentMismatchException(expectedSha256Hex, _sha256);
        }

        return 0;
    }
}

/// <summary>The uploaded bytes hash to something other than the declared SHA-256.</summary>
public sealed class ContentMismatchException(string expected, string actual)
    : IOException($"the uploaded bytes have SHA-256 {actual}, not the declared {expected}: the upload was cut short or changed on the way");

/// <summary>The upload is larger than the server accepts.</summary>
public sealed class ContentTooLargeException(long maxBytes)
    : IOException($"the upload is larger than the limit of {maxBytes} bytes");
