namespace SystemMail.Tests.Configuration;

public sealed class SmtpProviderCatalogTests
{
    [Fact]
    public void Templates_NoHostTemplates_ListsBuiltInsInDropDownOrder()
    {
        var catalog = new SmtpProviderCatalog([]);

        Assert.Equal(["google", "office365", "office365-graph", "sendgrid", "custom"], catalog.Templates.Select(t => t.Id));
    }

    [Theory]
    [InlineData("google", "smtp.gmail.com", 465, SmtpSecurity.SslOnConnect)]
    [InlineData("office365", "smtp.office365.com", 587, SmtpSecurity.StartTls)]
    [InlineData("sendgrid", "smtp.sendgrid.net", 465, SmtpSecurity.SslOnConnect)]
    public void TryGet_BuiltInId_HasThingsBoardValues(string id, string host, int port, SmtpSecurity security)
    {
        var catalog = new SmtpProviderCatalog([]);

        Assert.True(catalog.TryGet(id.ToUpperInvariant(), out var template));
        Assert.Equal(host, template.Host);
        Assert.Equal(port, template.Port);
        Assert.Equal(security, template.Security);
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls12, template.MinimumTlsVersion);
        Assert.False(template.AllowsCustomConnection);
    }

    [Fact]
    public void Templates_HostTemplateWithBuiltInId_ReplacesBuiltInInPlace()
    {
        var replacement = new SmtpProviderTemplate { Id = "Office365", DisplayName = "Outlook (EU)", Host = "smtp-eu.office365.com", Port = 587, Security = SmtpSecurity.StartTls };
        var extra = new SmtpProviderTemplate { Id = "mailgun", DisplayName = "Mailgun", Host = "smtp.mailgun.org", Port = 587, Security = SmtpSecurity.StartTls };

        var catalog = new SmtpProviderCatalog([replacement, extra]);

        Assert.Equal(["google", "office365", "office365-graph", "sendgrid", "custom", "mailgun"], catalog.Templates.Select(t => t.Id.ToLowerInvariant()));
        Assert.True(catalog.TryGet("office365", out var found));
        Assert.Same(replacement, found);
    }

    [Fact]
    public void TryGet_UnknownId_ReturnsFalse()
    {
        var catalog = new SmtpProviderCatalog([]);

        Assert.False(catalog.TryGet("mailjet", out _));
        Assert.False(catalog.TryGet(null, out _));
    }
}
