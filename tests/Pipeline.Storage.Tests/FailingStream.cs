namespace Pipeline.Storage.Tests;

/// <summary>A producer that dies midway (a dropped connection, a crashed encoder): bytes, then an IOException.</summary>
internal sealed class FailingStream(long bytesBeforeFailure) : Stream
{
    private long _left = bytesBeforeFailure;

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

        var n = (int)Math.Min(count, _left);
        Array.Fill(buffer, (byte)0x5a, offset, n);
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
