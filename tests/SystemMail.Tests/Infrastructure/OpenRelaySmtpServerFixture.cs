namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// One STARTTLS server that takes mail without AUTH (an open relay, as on a trusted network), shared by the tests of a
/// class. Each test resets it first.
/// </summary>
public sealed class OpenRelaySmtpServerFixture : IAsyncLifetime
{
    private SmtpTestServer? _server;

    public SmtpTestServer Server => _server ?? throw new InvalidOperationException("The fixture was not initialized.");

    public async ValueTask InitializeAsync() =>
        _server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthOptional = true });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
