namespace SystemMail.Tests.Errors;

/// <summary>The provider of a reply: the template's, or the one the host name says, so a custom template still gets the provider's hints.</summary>
public sealed class KnownSmtpRepliesTests
{
    private static readonly SmtpServerReply Office365Refusal = SmtpServerReply.From(535, "5.7.3 Authentication unsuccessful [SN4PR0601CA0005.namprd06.prod.outlook.com]");

    [Theory]
    [InlineData("smtp.office365.com", nameof(Hints.Office365AuthUnsuccessful))]
    [InlineData("SMTP.Office365.com.", nameof(Hints.Office365AuthUnsuccessful))]
    [InlineData("smtp-mail.outlook.com", nameof(Hints.Office365AuthUnsuccessful))]
    [InlineData("mail.example.com", nameof(Hints.WrongCredentials))]
    [InlineData("office365.com.example.net", nameof(Hints.WrongCredentials))]
    public void Match_CustomTemplate_RecognizesTheProviderByHost(string host, string hintId)
    {
        // Arrange
        var settings = Custom(host);

        // Act
        var match = KnownSmtpReplies.Match(SmtpCommand.Auth, Office365Refusal, settings);

        // Assert
        Assert.Equal(hintId, match?.Hint.Id);
        Assert.Equal(SystemMailErrorKind.Authentication, match?.Kind);
    }

    [Theory]
    [InlineData("smtp.gmail.com", SmtpProviderTemplates.GoogleId)]
    [InlineData("smtp-relay.gmail.com", SmtpProviderTemplates.GoogleId)]
    [InlineData("smtp.sendgrid.net", SmtpProviderTemplates.SendGridId)]
    [InlineData("127.0.0.1", null)]
    public void ProviderOf_CustomTemplate_FollowsTheHost(string host, string? provider)
    {
        // Act
        var found = KnownSmtpReplies.ProviderOf(Custom(host));

        // Assert
        Assert.Equal(provider, found);
    }

    [Fact]
    public void Match_TemporaryReplyWithoutKnownText_IsLeftToTheTransientRule()
    {
        // Arrange: Gmail's "454 4.7.0 Too many login attempts" is not a wrong password.
        var reply = SmtpServerReply.From(454, "4.7.0 Too many login attempts, please try again later.");

        // Act
        var match = KnownSmtpReplies.Match(SmtpCommand.Auth, reply, Custom("smtp.gmail.com"));

        // Assert
        Assert.Null(match);
    }

    private static SmtpSettings Custom(string host) => SmtpSettings.Create(
        new SystemMailOptions { From = "no-reply@example.com", Provider = "custom", Host = host, Port = 587, Authentication = SmtpAuthenticationType.Basic, Username = "u", Password = "p" },
        new SmtpProviderCatalog([]));
}
