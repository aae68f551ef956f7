using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using SystemMail.Tests.Localization;

namespace SystemMail.Tests.Configuration;

/// <summary>
/// The validation messages are resources: every message id has a text in every language, with the same values put in
/// it; the rules still say the same in English, and say it in the administrator's language where asked.
/// </summary>
public sealed partial class ValidationResourcesTests
{
    private static readonly ResourceManager Resources = new("SystemMail.Configuration.Resources.Validation", typeof(ValidationMessage).Assembly);

    public static TheoryData<string> Languages() => BuiltInLanguages.TranslatedData();

    [Theory]
    [MemberData(nameof(Languages))]
    public void Texts_Translation_HasEveryMessageWithTheSamePlaceholders(string language)
    {
        // Arrange
        var english = Texts(string.Empty);

        // Act
        var translated = Texts(language);

        // Assert
        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), translated.Keys.Order(StringComparer.Ordinal));
        Assert.All(english, e =>
        {
            Assert.Equal(Placeholders(e.Value), Placeholders(translated[e.Key]));
            Assert.Equal(Literals(e.Value), Literals(translated[e.Key]));
        });
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Texts_Translation_IsNotTheEnglishText(string language)
    {
        // Arrange: texts that are setting values alone ("None") read the same in every language.
        var english = Texts(string.Empty).Where(e => e.Value.Any(char.IsLower) && e.Value.Split(' ').Length > 2);

        // Act
        var translated = Texts(language);

        // Assert
        Assert.All(english, e => Assert.NotEqual(e.Value, translated[e.Key]));
    }

    [Fact]
    public void Check_ManyMistakes_EveryMessageHasItsTextAndTheEnglishIsTheStartUpFailure()
    {
        // Arrange
        var options = ManyMistakes();
        var validator = new SystemMailOptionsValidator(new SmtpProviderCatalog([]));

        // Act
        var errors = validator.Check(options).All;
        var failures = validator.Validate(null, options).Failures!;

        // Assert
        Assert.True(errors.Count >= 8, string.Join("\n", failures));
        Assert.Equal(failures, errors.Select(e => e.ToString()));
        foreach (var language in BuiltInLanguages.All)
        {
            Assert.All(errors, e => Assert.DoesNotContain("{", e.Message.Text(CultureInfo.GetCultureInfo(language)).Replace("{{", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("zh-CN", "zh-Hans")]
    [InlineData("zh-Hans", "zh-Hans")]
    [InlineData("en-US", "en")]
    [InlineData("it", "en")]
    public void LanguageOf_Culture_IsTheLanguageOfTheTexts(string culture, string expected)
    {
        Assert.Equal(expected, ValidationMessage.LanguageOf(CultureInfo.GetCultureInfo(culture)));
    }

    [Fact]
    public void Text_SimplifiedChinese_PutsTheValuesInTheTranslatedSentence()
    {
        // Arrange
        var options = ManyMistakes();
        var errors = new SystemMailOptionsValidator(new SmtpProviderCatalog([])).Check(options).All;
        var port = Assert.Single(errors, e => e.Property == "Port");
        var authentication = Assert.Single(errors, e => e.Property == "Authentication");

        // Act
        var chinese = port.Message.Text(CultureInfo.GetCultureInfo("zh-CN"));
        var alternatives = authentication.Message.Text(CultureInfo.GetCultureInfo("zh-CN"));

        // Assert
        Assert.Equal("2525 与 Google 模板的端口（465）不同；如需修改，请将 Provider 选为“custom”。", chinese);
        Assert.Equal("2525 differs from the Google template's port (465); to change it, choose Provider 'custom'.", port.Message.ToString());
        Assert.Contains("Basic 或 OAuth2", alternatives, StringComparison.Ordinal);
        Assert.Contains("Basic or OAuth2", authentication.Message.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_NumberFormat_FollowsTheCulture()
    {
        // Arrange
        var message = new ValidationMessage("TemplatePartTooLong", 123456, 100000);

        // Act
        var english = message.ToString();
        var german = message.Text(CultureInfo.GetCultureInfo("de-DE"));

        // Assert
        Assert.Equal("is 123,456 characters long; at most 100,000 are allowed.", english);
        Assert.Contains("123.456", german, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AttributeFailures_AreMessagesOfTheirSettingInEveryLanguage()
    {
        // Arrange: a range, a range with an exclusive bound, a required value with its own sentence.
        var options = new SystemMailOptions { From = null, Provider = "custom", Host = "smtp.acme.test", Port = 70000, Timeout = TimeSpan.Zero };
        var failures = new SystemMailOptionsRangeValidator().Validate(null, options).Failures!;

        // Act
        var errors = failures.Select(AttributeFailures.Read).ToDictionary(e => e.Property ?? "(none)", e => e.Message);

        // Assert
        Assert.Equal(["From", "Port", "Timeout"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("must be between 1 and 65535.", errors["Port"].ToString());
        Assert.Equal("must be between 00:00:00 exclusive and 00:10:00.", errors["Timeout"].ToString());
        Assert.Equal("is required: the sender's address, such as 'Acme <no-reply@acme.com>'.", errors["From"].ToString());
        Assert.Equal("必须介于 1 和 65535 之间。", errors["Port"].Text(CultureInfo.GetCultureInfo("zh-CN")));
        Assert.Equal("muss größer als 00:00:00 und höchstens 00:10:00 sein.", errors["Timeout"].Text(CultureInfo.GetCultureInfo("de-DE")));
        Assert.All(failures, f => Assert.EndsWith(errors[f[..f.IndexOf(':', StringComparison.Ordinal)]].ToString(), f, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_UnknownFailure_IsVerbatimForTheWholeSettings()
    {
        var error = AttributeFailures.Read("The host's own rule failed.");

        Assert.Null(error.Property);
        Assert.Equal("The host's own rule failed.", error.Message.Text(CultureInfo.GetCultureInfo("zh-CN")));
    }

    [Fact]
    public void Text_Verbatim_IsTheSameInEveryLanguage()
    {
        var message = ValidationMessage.Verbatim("The field Port must be between 1 and 65535.");

        Assert.Equal(message.ToString(), message.Text(CultureInfo.GetCultureInfo("zh-CN")));
    }

    private static SystemMailOptions ManyMistakes() => new()
    {
        From = "not an address",
        Provider = "google",
        Host = "smtp.other.test",
        Port = 2525,
        Security = SmtpSecurity.None,
        Authentication = SmtpAuthenticationType.None,
        Username = "mailer@acme.test",
        LocalDomain = "a b",
        Proxy = new SmtpProxyOptions { Host = "proxy.test", Port = 0, Password = "x", Type = SmtpProxyType.Socks4 },
        Product = new SystemMailProductOptions { Name = "Acme", Url = new Uri("ftp://acme.test"), SupportAddress = "nobody" },
    };

    private static Dictionary<string, string> Texts(string language) =>
        Resources.GetResourceSet(CultureInfo.GetCultureInfo(language), createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);

    private static string[] Placeholders(string text) =>
        [.. Placeholder().Matches(text.Replace("{{", string.Empty, StringComparison.Ordinal).Replace("}}", string.Empty, StringComparison.Ordinal))
            .Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    // The setting names and literal braces a text names: Proxy.Host, {{ }}; the same in every language.
    private static string[] Literals(string text) =>
        [.. Literal().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{\{|\}\}|\b(Proxy|OAuth2|Retry|RateLimit)\.[A-Za-z]+\b")]
    private static partial Regex Literal();
}
