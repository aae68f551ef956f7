using System.Security.Authentication;

namespace SystemMail.Tests.Configuration;

public sealed class SystemMailOptionsValidatorTests
{
    private static SystemMailOptions ValidCustom() => new()
    {
        From = "Acme <no-reply@acme.test>",
        Provider = "custom",
        Host = "smtp.acme.test",
        Port = 587,
        Security = SmtpSecurity.StartTls,
        Authentication = SmtpAuthenticationType.Basic,
        Username = "mailer",
        Password = "secret",
    };

    private static IReadOnlyList<string> Failures(SystemMailOptions options) => OptionsFailures.Of(options);

    private static void AssertSingleFailure(SystemMailOptions options, string property, string fragment) =>
        OptionsFailures.AssertSingle(options, property, fragment);

    private static void AssertNotBareHost(SystemMailOptions options, string property, string host)
    {
        AssertSingleFailure(options, property, "must be a bare host name or IP address");
        Assert.All(Failures(options), failure =>
        {
            Assert.DoesNotContain(host.Trim(), failure, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Pw-SECRET", failure, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void Validate_ValidCustomSettings_Succeeds()
    {
        Assert.Empty(Failures(ValidCustom()));
    }

    [Fact]
    public void Validate_ValidBuiltInTemplates_Succeed()
    {
        Assert.Empty(Failures(new SystemMailOptions { From = "a@gmail.com", Provider = "google", Authentication = SmtpAuthenticationType.Basic, Username = "a@gmail.com", Password = "app-password" }));
        Assert.Empty(Failures(new SystemMailOptions { From = "a@contoso.com", Provider = "office365", Authentication = SmtpAuthenticationType.Basic, Username = "a@contoso.com", Password = "pw" }));
        Assert.Empty(Failures(new SystemMailOptions { From = "a@acme.test", Provider = "sendgrid", Authentication = SmtpAuthenticationType.Basic, Password = "SG.key" }));
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("\r\n", "is required")]
    [InlineData("not an address", "not a valid address")]
    [InlineData("a@b.test\r\nBcc: x@evil.test", "line break")]
    public void Validate_BadFrom_NamesFrom(string? from, string fragment)
    {
        var options = ValidCustom();
        options.From = from;

        AssertSingleFailure(options, "From", fragment);
    }

    [Fact]
    public void Validate_UnknownProvider_ListsKnownIds()
    {
        var options = ValidCustom();
        options.Provider = "mailjet";

        AssertSingleFailure(options, "Provider", "google, office365, office365-graph, sendgrid, custom");
    }

    [Fact]
    public void Validate_EmptyProvider_IsRequired()
    {
        var options = ValidCustom();
        options.Provider = " ";

        AssertSingleFailure(options, "Provider", "is required");
    }

    [Fact]
    public void Validate_HostSetWithBuiltInTemplate_TellsToChooseCustom()
    {
        var options = new SystemMailOptions { From = "a@gmail.com", Provider = "google", Host = "smtp.other.test", Authentication = SmtpAuthenticationType.Basic, Username = "a@gmail.com", Password = "pw" };

        AssertSingleFailure(options, "Host", "choose Provider 'custom'");
    }

    [Fact]
    public void Validate_PortSetWithBuiltInTemplate_TellsToChooseCustom()
    {
        var options = new SystemMailOptions { From = "a@gmail.com", Provider = "google", Port = 587, Authentication = SmtpAuthenticationType.Basic, Username = "a@gmail.com", Password = "pw" };

        AssertSingleFailure(options, "Port", "choose Provider 'custom'");
    }

    [Fact]
    public void Validate_SecuritySetWithBuiltInTemplate_TellsToChooseCustom()
    {
        var options = new SystemMailOptions { From = "a@contoso.com", Provider = "office365", Security = SmtpSecurity.SslOnConnect, Authentication = SmtpAuthenticationType.Basic, Username = "a@contoso.com", Password = "pw" };

        AssertSingleFailure(options, "Security", "choose Provider 'custom'");
    }

    [Fact]
    public void Validate_MinimumTlsSetWithBuiltInTemplate_TellsToChooseCustom()
    {
        var options = new SystemMailOptions { From = "a@contoso.com", Provider = "office365", MinimumTlsVersion = SslProtocols.Tls13, Authentication = SmtpAuthenticationType.Basic, Username = "a@contoso.com", Password = "pw" };

        AssertSingleFailure(options, "MinimumTlsVersion", "choose Provider 'custom'");
    }

    [Fact]
    public void Validate_TemplateValuesRepeated_Succeeds()
    {
        var options = new SystemMailOptions { From = "a@gmail.com", Provider = "google", Host = "SMTP.gmail.com", Port = 465, Security = SmtpSecurity.SslOnConnect, Authentication = SmtpAuthenticationType.Basic, Username = "a@gmail.com", Password = "pw" };

        Assert.Empty(Failures(options));
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("smtp://smtp.acme.test", "bare host name")]
    [InlineData("smtp acme", "bare host name")]
    public void Validate_CustomWithBadHost_NamesHost(string? host, string fragment)
    {
        var options = ValidCustom();
        options.Host = host;

        AssertSingleFailure(options, "Host", fragment);
    }

    public static TheoryData<string> HostsThatAreNotBare => new()
    {
        "user:Pw-SECRET@127.0.0.1",
        "user:Pw-SECRET@smtp.acme.test:587",
        "smtp.acme.test:587",
        "localhost:587",
        "http://user:Pw-SECRET@proxy.acme.test",
        "smtp://smtp.acme.test",
        "smtp.acme.test/Pw-SECRET",
        "smtp.acme.test Pw-SECRET",
    };

    [Theory]
    [MemberData(nameof(HostsThatAreNotBare))]
    public void Validate_CustomHostNotBare_NamesHostWithoutEchoingIt(string host)
    {
        var options = ValidCustom();
        options.Host = host;

        AssertNotBareHost(options, "Host", host);
    }

    [Theory]
    [MemberData(nameof(HostsThatAreNotBare))]
    public void Validate_TemplateHostNotBare_NamesHostWithoutEchoingIt(string host)
    {
        var options = new SystemMailOptions { From = "a@gmail.com", Provider = "google", Host = host, Authentication = SmtpAuthenticationType.Basic, Username = "a@gmail.com", Password = "pw" };

        AssertNotBareHost(options, "Host", host);
    }

    [Theory]
    [MemberData(nameof(HostsThatAreNotBare))]
    public void Validate_ProxyHostNotBare_NamesProxyHostWithoutEchoingIt(string host)
    {
        var options = ValidCustom();
        options.Proxy = new SmtpProxyOptions { Type = SmtpProxyType.Http, Host = host, Port = 3128, Username = "u", Password = "Proxy-pw" };

        AssertNotBareHost(options, "Proxy.Host", host);
    }

    [Theory]
    [InlineData("smtp.acme.test")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("2001:db8::25")]
    public void Validate_BareHostOrAddress_Succeeds(string host)
    {
        var options = ValidCustom();
        options.Host = host;
        options.Proxy = new SmtpProxyOptions { Host = host, Port = 1080 };

        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_TemplateHostRepeatedWithSpaces_Succeeds()
    {
        var options = new SystemMailOptions { From = "a@gmail.com", Provider = "google", Host = " smtp.gmail.com ", Authentication = SmtpAuthenticationType.Basic, Username = "a@gmail.com", Password = "pw" };

        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_TemplateHostDiffers_EchoesTheBareHost()
    {
        var options = new SystemMailOptions { From = "a@gmail.com", Provider = "google", Host = "smtp.other.test", Authentication = SmtpAuthenticationType.Basic, Username = "a@gmail.com", Password = "pw" };

        AssertSingleFailure(options, "Host", "'smtp.other.test' differs");
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData(0, "between 1 and 65535")]
    [InlineData(70000, "between 1 and 65535")]
    public void Validate_CustomWithBadPort_NamesPort(int? port, string fragment)
    {
        var options = ValidCustom();
        options.Port = port;

        AssertSingleFailure(options, "Port", fragment);
    }

    [Fact]
    public void Validate_UndefinedSecurity_NamesSecurity()
    {
        var options = ValidCustom();
        options.Security = (SmtpSecurity)7;

        AssertSingleFailure(options, "Security", "None, StartTls, SslOnConnect");
    }

    [Theory]
    [InlineData(SslProtocols.None)]
#pragma warning disable SYSLIB0039 // The test proves deprecated versions are refused.
    [InlineData(SslProtocols.Tls11)]
#pragma warning restore SYSLIB0039
    public void Validate_TlsBelow12_NamesMinimumTlsVersion(SslProtocols tls)
    {
        var options = ValidCustom();
        options.MinimumTlsVersion = tls;

        AssertSingleFailure(options, "MinimumTlsVersion", "Tls12");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(3600)]
    public void Validate_TimeoutOutOfRange_NamesTimeout(int seconds)
    {
        var options = ValidCustom();
        options.Timeout = TimeSpan.FromSeconds(seconds);

        AssertSingleFailure(options, "Timeout", "between 00:00:00 exclusive and 00:10:00");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Validate_PoolSizeOutOfRange_NamesPoolSize(int size)
    {
        var options = ValidCustom();
        options.PoolSize = size;

        AssertSingleFailure(options, "PoolSize", "between 1 and 100");
    }

    [Fact]
    public void Validate_IdleTimeoutNotPositive_NamesConnectionIdleTimeout()
    {
        var options = ValidCustom();
        options.ConnectionIdleTimeout = TimeSpan.Zero;

        AssertSingleFailure(options, "ConnectionIdleTimeout", "between 00:00:00 exclusive and 1.00:00:00");
    }

    public static TheoryData<string, string> SettingsOutOfRange => new()
    {
        { "Retry.MaxRetryAttempts", "between 0 and 10" },
        { "Retry.Delay", "between 00:00:00 exclusive and 00:05:00" },
        { "RateLimit.PermitLimit", "between 1 and 2147483647" },
        { "RateLimit.Window", "between 00:00:00 exclusive and 31.00:00:00" },
        { "RateLimit.QueueLimit", "between 0 and 2147483647" },
        { "RateLimit.QueueTimeout", "between 00:00:00 and 1.00:00:00" },
        // Checked whatever the authentication, like every range.
        { "OAuth2.RefreshMargin", "between 00:00:00 and 00:30:00" },
        { "OAuth2.AuthorizationLifetime", "between 00:01:00 and 01:00:00" },
    };

    [Theory]
    [MemberData(nameof(SettingsOutOfRange))]
    public void Validate_NestedSettingOutOfRange_NamesItsPath(string property, string fragment)
    {
        var options = ValidCustom();
        options.RateLimit.PermitLimit = 10;
        options.RateLimit.Window = TimeSpan.FromMinutes(1);
        switch (property)
        {
            case "Retry.MaxRetryAttempts": options.Retry.MaxRetryAttempts = 11; break;
            case "Retry.Delay": options.Retry.Delay = TimeSpan.Zero; break;
            case "RateLimit.PermitLimit": options.RateLimit.PermitLimit = 0; break;
            case "RateLimit.Window": options.RateLimit.Window = TimeSpan.Zero; break;
            case "RateLimit.QueueLimit": options.RateLimit.QueueLimit = -1; break;
            case "RateLimit.QueueTimeout": options.RateLimit.QueueTimeout = TimeSpan.FromSeconds(-1); break;
            case "OAuth2.RefreshMargin": options.OAuth2.RefreshMargin = TimeSpan.FromSeconds(-1); break;
            case "OAuth2.AuthorizationLifetime": options.OAuth2.AuthorizationLifetime = TimeSpan.FromSeconds(30); break;
            default: throw new ArgumentOutOfRangeException(nameof(property), property, null);
        }

        AssertSingleFailure(options, property, fragment);
    }

    [Fact]
    public void Validate_RetryMaxDelayBelowDelay_NamesRetryMaxDelay()
    {
        var options = ValidCustom();
        options.Retry.Delay = TimeSpan.FromSeconds(10);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);

        AssertSingleFailure(options, "Retry.MaxDelay", "at least Retry.Delay");
    }

    [Fact]
    public void Validate_RetryMaxDelayOverOneDay_NamesRetryMaxDelay()
    {
        var options = ValidCustom();
        options.Retry.MaxDelay = TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1);

        AssertSingleFailure(options, "Retry.MaxDelay", "and 1.00:00:00");
    }

    [Fact]
    public void Validate_RateLimitWindowOver31Days_NamesRateLimitWindow()
    {
        var options = ValidCustom();
        options.RateLimit.PermitLimit = 100;
        options.RateLimit.Window = TimeSpan.FromDays(32);

        AssertSingleFailure(options, "RateLimit.Window", "and 31.00:00:00");
    }

    [Fact]
    public void Validate_RateLimitQueueTimeoutOverOneDay_NamesRateLimitQueueTimeout()
    {
        var options = ValidCustom();
        options.RateLimit.QueueTimeout = TimeSpan.FromDays(2);

        AssertSingleFailure(options, "RateLimit.QueueTimeout", "and 1.00:00:00");
    }

    [Fact]
    public void Validate_RetryAndRateLimitAtTheirUpperBounds_Succeeds()
    {
        var options = ValidCustom();
        options.Retry.MaxDelay = TimeSpan.FromDays(1);
        options.RateLimit.PermitLimit = 100;
        options.RateLimit.Window = TimeSpan.FromDays(31);
        options.RateLimit.QueueTimeout = TimeSpan.FromDays(1);

        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_PermitLimitWithoutWindowAndNoTemplateLimit_NamesRateLimitWindow()
    {
        var options = ValidCustom();
        options.RateLimit.PermitLimit = 10;

        AssertSingleFailure(options, "RateLimit.Window", "no sending limit");
    }

    [Fact]
    public void Validate_WindowWithoutPermitLimitAndNoTemplateLimit_NamesRateLimitPermitLimit()
    {
        var options = new SystemMailOptions { From = "a@acme.test", Provider = "sendgrid", Authentication = SmtpAuthenticationType.Basic, Password = "SG.key" };
        options.RateLimit.Window = TimeSpan.FromMinutes(1);

        AssertSingleFailure(options, "RateLimit.PermitLimit", "no sending limit");
    }

    [Fact]
    public void Validate_HalfALimitWithTemplateLimit_Succeeds()
    {
        var permits = new SystemMailOptions { From = "a@contoso.com", Provider = "office365", Authentication = SmtpAuthenticationType.Basic, Username = "a@contoso.com", Password = "pw" };
        permits.RateLimit.PermitLimit = 10;
        var window = new SystemMailOptions { From = "a@contoso.com", Provider = "office365", Authentication = SmtpAuthenticationType.Basic, Username = "a@contoso.com", Password = "pw" };
        window.RateLimit.Window = TimeSpan.FromMinutes(5);

        Assert.Empty(Failures(permits));
        Assert.Empty(Failures(window));
    }

    [Fact]
    public void Validate_HalfALimitWithRateLimitDisabled_Succeeds()
    {
        var options = ValidCustom();
        options.RateLimit.Enabled = false;
        options.RateLimit.PermitLimit = 10;

        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_LocalDomainWithSpace_NamesLocalDomain()
    {
        var options = ValidCustom();
        options.LocalDomain = "my host";

        AssertSingleFailure(options, "LocalDomain", "without spaces");
    }

    [Fact]
    public void Validate_AuthenticationNotSupportedByTemplate_ListsSupported()
    {
        var options = new SystemMailOptions { From = "a@acme.test", Provider = "sendgrid", Authentication = SmtpAuthenticationType.OAuth2, Username = "apikey" };

        AssertSingleFailure(options, "Authentication", "choose Basic");
    }

    [Fact]
    public void Validate_NoneAuthenticationAgainstGoogle_ListsSupported()
    {
        var options = new SystemMailOptions { From = "a@gmail.com", Provider = "google" };

        AssertSingleFailure(options, "Authentication", "Basic or OAuth2");
    }

    [Fact]
    public void Validate_NoneAuthenticationWithCredentials_SaysTheyAreIgnored()
    {
        var options = ValidCustom();
        options.Authentication = SmtpAuthenticationType.None;

        AssertSingleFailure(options, "Authentication", "set Authentication to Basic");
    }

    [Fact]
    public void Validate_BasicWithoutUsername_NamesUsername()
    {
        var options = ValidCustom();
        options.Username = null;

        AssertSingleFailure(options, "Username", "is required with Basic");
    }

    [Fact]
    public void Validate_BasicWithoutPassword_NamesPassword()
    {
        var options = ValidCustom();
        options.Password = "";

        AssertSingleFailure(options, "Password", "is required with Basic");
    }

    [Fact]
    public void Validate_SendGridWithOtherUsername_SaysApikey()
    {
        var options = new SystemMailOptions { From = "a@acme.test", Provider = "sendgrid", Authentication = SmtpAuthenticationType.Basic, Username = "me@acme.test", Password = "SG.key" };

        AssertSingleFailure(options, "Username", "must be 'apikey'");
    }

    [Fact]
    public void Validate_OAuth2WithoutUsername_NamesUsername()
    {
        var options = ValidCustom();
        options.Authentication = SmtpAuthenticationType.OAuth2;
        options.Username = null;
        options.Password = null;

        Assert.Contains(Failures(options), f => f.StartsWith("Property Username:", StringComparison.Ordinal) && f.Contains("OAuth2", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ProxyWithoutPort_NamesProxyPort()
    {
        var options = ValidCustom();
        options.Proxy = new SmtpProxyOptions { Host = "proxy.acme.test", Port = 0 };

        AssertSingleFailure(options, "Proxy.Port", "is required with Proxy.Host");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(70000)]
    public void Validate_ProxyPortOutOfRange_NamesProxyPort(int port)
    {
        var options = ValidCustom();
        options.Proxy = new SmtpProxyOptions { Host = "proxy.acme.test", Port = port };

        AssertSingleFailure(options, "Proxy.Port", "between 0 and 65535");
    }

    [Fact]
    public void Validate_ProxyWithoutHost_NamesProxyHost()
    {
        var options = ValidCustom();
        options.Proxy = new SmtpProxyOptions { Port = 1080 };

        AssertSingleFailure(options, "Proxy.Host", "is required");
    }

    [Fact]
    public void Validate_ProxyPasswordWithoutUsername_NamesProxyUsername()
    {
        var options = ValidCustom();
        options.Proxy = new SmtpProxyOptions { Host = "proxy.acme.test", Port = 1080, Password = "p" };

        AssertSingleFailure(options, "Proxy.Username", "is required");
    }

    [Fact]
    public void Validate_Socks4ProxyWithPassword_NamesProxyPassword()
    {
        var options = ValidCustom();
        options.Proxy = new SmtpProxyOptions { Type = SmtpProxyType.Socks4, Host = "proxy.acme.test", Port = 1080, Username = "u", Password = "Proxy-pw" };

        AssertSingleFailure(options, "Proxy.Password", "only a user id");
    }

    [Fact]
    public void Validate_Socks4ProxyWithUserIdOnly_Succeeds()
    {
        var options = ValidCustom();
        options.Proxy = new SmtpProxyOptions { Type = SmtpProxyType.Socks4, Host = "proxy.acme.test", Port = 1080, Username = "u" };

        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_ProxyTypeUndefined_NamesProxyType()
    {
        var options = ValidCustom();
        options.Proxy = new SmtpProxyOptions { Host = "proxy.acme.test", Port = 1080, Type = (SmtpProxyType)9 };

        AssertSingleFailure(options, "Proxy.Type", "Socks5");
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData(" \r\n", "is required")]
    [InlineData("Acme\r\nBcc: x", "line break")]
    public void Validate_BadProductName_NamesProductName(string name, string fragment)
    {
        var options = ValidCustom();
        options.Product.Name = name;

        AssertSingleFailure(options, "Product.Name", fragment);
    }

    [Fact]
    public void Validate_RelativeProductUrl_NamesProductUrl()
    {
        var options = ValidCustom();
        options.Product.Url = new Uri("/home", UriKind.Relative);

        AssertSingleFailure(options, "Product.Url", "absolute http or https");
    }

    [Fact]
    public void Validate_BadSupportAddress_NamesProductSupportAddress()
    {
        var options = ValidCustom();
        options.Product.SupportAddress = "help desk";

        AssertSingleFailure(options, "Product.SupportAddress", "not a valid address");
    }

    [Fact]
    public void Validate_ManyBadFields_NamesEveryOne()
    {
        var options = new SystemMailOptions
        {
            From = "nobody",
            Provider = "custom",
            Host = null,
            Port = 99999,
            Timeout = TimeSpan.Zero,
            PoolSize = 0,
            Authentication = SmtpAuthenticationType.Basic,
            Username = null,
            Password = null,
            Proxy = new SmtpProxyOptions { Host = "proxy.acme.test", Port = -1 },
            Product = new SystemMailProductOptions { Name = "", Url = new Uri("ftp://acme.test") },
        };

        var failures = Failures(options);

        string[] expected = ["From", "Host", "Port", "Timeout", "PoolSize", "Username", "Password", "Proxy.Port", "Product.Name", "Product.Url"];
        Assert.Equal(expected.Length, failures.Count);
        Assert.Equal(expected.Order(StringComparer.Ordinal), failures.Select(OptionsFailures.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ToString_WithSecrets_ShowsOnlyWhetherSet()
    {
        var options = ValidCustom();
        options.Password = "Pw-7f1d3c";
        options.Proxy = new SmtpProxyOptions { Host = "proxy", Port = 1080, Username = "u", Password = "Proxy-9a8b" };

        var text = options.ToString();

        Assert.DoesNotContain("Pw-7f1d3c", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Proxy-9a8b", text, StringComparison.Ordinal);
        Assert.Contains("Password = set", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_HostsNotBare_ShowInvalidHostWithoutTheSecret()
    {
        var options = ValidCustom();
        options.Host = "user:Pw-SECRET@smtp.acme.test";
        options.Proxy = new SmtpProxyOptions { Host = "user:Proxy-SECRET@proxy.acme.test", Port = 1080 };

        var text = options.ToString();
        var proxyText = options.Proxy.ToString();

        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", proxyText, StringComparison.Ordinal);
        Assert.Contains("Host = (invalid host)", text, StringComparison.Ordinal);
        Assert.Equal("Socks5 proxy (invalid host):1080", proxyText);
    }

    [Fact]
    public void ToString_BareHosts_ShowThem()
    {
        var options = ValidCustom();
        options.Proxy = new SmtpProxyOptions { Type = SmtpProxyType.Http, Host = "proxy.acme.test", Port = 3128, Username = "u", Password = "p" };

        var text = options.ToString();

        Assert.Contains("Host = smtp.acme.test", text, StringComparison.Ordinal);
        Assert.Contains("Proxy = Http proxy proxy.acme.test:3128 (with credentials)", text, StringComparison.Ordinal);
    }
}
