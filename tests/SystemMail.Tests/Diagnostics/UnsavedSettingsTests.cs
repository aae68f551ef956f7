using SystemMail.Tests.Infrastructure;

namespace SystemMail.Tests.Diagnostics;

/// <summary>"Test before save": the settings form's values, with the stored password filled in only where it belongs.</summary>
public sealed class UnsavedSettingsTests : IClassFixture<BasicAuthSmtpServerFixture>, IAsyncLifetime
{
    private const string User = BasicAuthSmtpServerFixture.User;
    private const string Password = BasicAuthSmtpServerFixture.Password;
    private readonly BasicAuthSmtpServerFixture _fixture;

    public UnsavedSettingsTests(BasicAuthSmtpServerFixture fixture)
    {
        _fixture = fixture;
    }

    private SmtpTestServer SmtpServer => _fixture.Server;

    public ValueTask InitializeAsync() => new(SmtpServer.ResetAsync(TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task TestConnectionAsync_NewServerNotSavedYet_TestsTheFormsValues()
    {
        // Arrange: the saved settings point at a port where nothing listens; the form at the real server.
        var ct = TestContext.Current.CancellationToken;
        await using var mail = SavedMailer(o => o.Port = TcpPorts.GetUnusedPort());
        var form = Form(o => o.Password = Password);

        // Act
        var report = await mail.Diagnostics().SendTestMailAsync("someone@example.com", form, cancellationToken: ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(SmtpServer.Port, report.Port);
        Assert.Equal("unsaved settings", report.Steps[0].Detail);
        Assert.Empty(report.StoredSecretsUsed);
        Assert.Single(await SmtpServer.GetMessagesAsync(ct));
        Assert.Equal(0, mail.Pool.OpenConnections);
    }

    [Fact]
    public async Task TestConnectionAsync_BlankPasswordForTheSavedServerAndUser_UsesTheStoredPasswordWithoutChangingTheForm()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var mail = SavedMailer();
        var form = Form(o => o.Password = null);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(form, cancellationToken: ct);

        // Assert
        Assert.True(report.Succeeded, report.ToString());
        Assert.Equal(["Password"], report.StoredSecretsUsed);
        Assert.True(Assert.Single((await SmtpServer.GetStatsAsync(ct)).AuthAttempts).Success);
    }

    [Fact]
    public async Task TestConnectionAsync_BlankPasswordForAnotherServer_NeverSendsTheStoredPasswordThere()
    {
        // Arrange: a form that points elsewhere and leaves the password blank must not get the stored one.
        var ct = TestContext.Current.CancellationToken;
        await using var elsewhere = SilentTcpServer.Start();
        await using var mail = SavedMailer();
        var form = Form(o =>
        {
            o.Port = elsewhere.Port;
            o.Password = null;
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(form, cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Settings, SystemMailErrorKind.Configuration, nameof(Hints.StoredSecretNotReused));
        Assert.Contains("Password", report.Error, StringComparison.Ordinal);
        Assert.Contains("enter Password again", report.Hint, StringComparison.Ordinal);
        Assert.Empty(report.StoredSecretsUsed);
        Assert.Equal(0, elsewhere.AcceptedConnections);
        Assert.Contains(mail.Logs.Collector.GetSnapshot(), r => r.Id.Id == 1302);
    }

    [Theory]
    [InlineData("another.user@systemmail.test", null)]
    [InlineData(null, SmtpSecurity.SslOnConnect)]
    public async Task TestConnectionAsync_BlankPasswordForAnotherUserOrSecurity_DoesNotReuseIt(string? username, SmtpSecurity? security)
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var mail = SavedMailer();
        var form = Form(o =>
        {
            o.Password = null;
            o.Username = username ?? o.Username;
            o.Security = security ?? o.Security;
        });

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(form, cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Settings, SystemMailErrorKind.Configuration, nameof(Hints.StoredSecretNotReused));
        Assert.Equal(0, (await SmtpServer.GetStatsAsync(ct)).Connections);
    }

    [Fact]
    public async Task TestConnectionAsync_FormWithAnotherPassword_TestsThatOne()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var typed = SecretAssert.NewMarkerPassword();
        await using var mail = SavedMailer();
        var form = Form(o => o.Password = typed);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(form, cancellationToken: ct);

        // Assert
        DiagnosticAssert.FailedAt(report, SmtpDiagnosticStage.Authenticate, SystemMailErrorKind.Authentication, nameof(Hints.WrongCredentials));
        Assert.Empty(report.StoredSecretsUsed);
        TranscriptAssert.NoPassword(report, typed, User);
        TranscriptAssert.NoPassword(report, Password, User);
    }

    [Fact]
    public async Task TestConnectionAsync_SavedSettingsUnchanged_AreNotDisturbedByTheTest()
    {
        // Arrange: a mail through the pool first, then a test of other settings, then another mail.
        var ct = TestContext.Current.CancellationToken;
        await using var mail = SavedMailer();
        await mail.Mailer.SendTestMailAsync("first@example.com", cancellationToken: ct);

        // Act
        var report = await mail.Diagnostics().TestConnectionAsync(Form(o => o.Password = SecretAssert.NewMarkerPassword()), cancellationToken: ct);
        await mail.Mailer.SendTestMailAsync("second@example.com", cancellationToken: ct);

        // Assert
        Assert.False(report.Succeeded);
        Assert.Equal(2, (await SmtpServer.GetMessagesAsync(ct)).Count);
        Assert.Equal(1, mail.Pool.OpenConnections);
        // One connection for the pool (reused), one for the test.
        Assert.Equal(2, (await SmtpServer.GetStatsAsync(ct)).Connections);
    }

    private TestMailer SavedMailer(Action<SystemMailOptions>? change = null) =>
        TestMailer.For(SmtpServer, o =>
        {
            o.Authentication = SmtpAuthenticationType.Basic;
            o.Username = User;
            o.Password = Password;
            change?.Invoke(o);
        });

    /// <summary>The values a settings form posts: everything a form has, nothing set in code.</summary>
    private Action<SystemMailOptions> Form(Action<SystemMailOptions> change) => form =>
    {
        form.From = $"SystemMail Tests <{TestMailer.Sender}>";
        form.Provider = "custom";
        form.Host = SmtpServer.Host;
        form.Port = SmtpServer.Port;
        form.Security = SmtpSecurity.StartTls;
        form.Timeout = TimeSpan.FromSeconds(10);
        form.CheckCertificateRevocation = false;
        form.Authentication = SmtpAuthenticationType.Basic;
        form.Username = User;
        change(form);
    };
}
