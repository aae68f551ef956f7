using System.Diagnostics;
using SystemMail.Benchmarks.Mail;
using SystemMail.Benchmarks.Server;

namespace SystemMail.Benchmarks.Throughput;

/// <summary>
/// Raw MailKit on one kept connection against SmtpServer as shipped (Nagle on) and with the benchmark's listener
/// (TCP_NODELAY): shows the stall the fix removes, so the server is not what the scenarios measure.
/// </summary>
internal static class ServerCheck
{
    public static async Task<(double Stock, double NoDelay)> MeasureAsync(int mails, CancellationToken cancellationToken)
    {
        var stock = await RawRateAsync(noDelay: false, mails, cancellationToken).ConfigureAwait(false);
        var noDelay = await RawRateAsync(noDelay: true, mails, cancellationToken).ConfigureAwait(false);
        return (stock, noDelay);
    }

    private static async Task<double> RawRateAsync(bool noDelay, int mails, CancellationToken cancellationToken)
    {
        await using var server = await BenchmarkSmtpServer.StartAsync(noDelay).ConfigureAwait(false);
        var renderer = ActivationMail.CreateRenderer();
        var message = ActivationMail.Build(ActivationMail.Render(renderer));
        using var client = await RawMailKit.ConnectAsync(server.Endpoint, server.Certificate.Pin(), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < 5; i++)
        {
            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < mails; i++)
        {
            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }

        var rate = mails / Stopwatch.GetElapsedTime(started).TotalSeconds;
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        return rate;
    }
}
