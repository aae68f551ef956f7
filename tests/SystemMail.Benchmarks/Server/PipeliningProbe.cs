using System.Text;

namespace SystemMail.Benchmarks.Server;

/// <summary>
/// Counts, on the server's side of TLS, how the client's commands arrive: a transaction whose <c>MAIL FROM</c>
/// and <c>RCPT TO</c> come in one read was pipelined (RFC 2920); one that needed two reads was not.
/// </summary>
internal sealed class PipeliningProbe
{
    private static readonly byte[] MailFrom = Encoding.ASCII.GetBytes("MAIL FROM:");
    private static readonly byte[] RcptTo = Encoding.ASCII.GetBytes("RCPT TO:");
    private long _transactions;
    private long _pipelined;

    public long Transactions => Interlocked.Read(ref _transactions);

    public long Pipelined => Interlocked.Read(ref _pipelined);

    public void Reset()
    {
        Interlocked.Exchange(ref _transactions, 0);
        Interlocked.Exchange(ref _pipelined, 0);
    }

    private void Observe(ReadOnlySpan<byte> read)
    {
        // Commands come in small reads; message bodies are skipped by their size alone.
        if (read.Length > 2048)
        {
            return;
        }

        var mail = read.IndexOf(MailFrom);
        if (mail < 0)
        {
            return;
        }

        Interlocked.Increment(ref _transactions);
        if (read[mail..].IndexOf(RcptTo) > 0)
        {
            Interlocked.Increment(ref _pipelined);
        }
    }

    /// <summary>A stream that shows every read to the probe.</summary>
    internal sealed class ObservedStream(Stream inner, PipeliningProbe probe) : Stream
    {
        public Stream Inner { get; } = inner;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            probe.Observe(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = Inner.Read(buffer, offset, count);
            probe.Observe(buffer.AsSpan(offset, read));
            return read;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => Inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);

        public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);

        public override void Flush() => Inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
