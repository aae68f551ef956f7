namespace SystemMail.Tests.Infrastructure;

/// <summary>
/// One STARTTLS server with one account, shared by the tests of a class (<c>IClassFixture</c>). Each test resets
/// it first, so messages, counters and behaviour never leak from one test to the next.
/// </summary>
public sealed class BasicAuthSmtpServerFixture : IAsyncLifetime
{
    public const string User = "mailer@systemmail.test";
    public const string Password = "Pw-shared-server";

    private SmtpTestServer? _server;

    public SmtpTestServer Server => _server ?? throw new InvalidOperationException("The fixture was not initialized.");

    public async ValueTask InitializeAsync() =>
        _server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Users = new Dictionary<string, string> { [User] = Password } });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
