using System.Globalization;
using Microsoft.Extensions.Options;

namespace SystemMail.Tests.Templates;

public sealed class MailTemplateRendererTests
{
    private static Dictionary<string, string> Values(string link = "https://app.acme.test/activate?token=a&b=<x>") => new()
    {
        ["product_name"] = "Acme <IoT>",
        ["product_url"] = "",
        ["support_address"] = "",
        ["recipient"] = "user@acme.test",
        ["link"] = link,
        ["lifetime"] = "24 hours",
        ["lifetime_minutes"] = "1440",
    };

    private static MailTemplateRenderer Renderer(MailTemplateOptions? options = null) =>
        new(Options.Create(options ?? new MailTemplateOptions()));

    [Fact]
    public void Render_Activation_EscapesValuesInHtmlOnly()
    {
        var mail = Renderer().Render(SystemMailKind.Activation, CultureInfo.GetCultureInfo("en"), Values());

        Assert.Equal("Activate your Acme <IoT> account", mail.Subject);
        Assert.Contains("https://app.acme.test/activate?token=a&b=<x>", mail.Text, StringComparison.Ordinal);
        Assert.Contains("token=a&amp;b=&lt;x&gt;", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<x>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("Acme &lt;IoT&gt;", mail.Html, StringComparison.Ordinal);
        Assert.Contains("24 hours", mail.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("zh-Hans")]
    [InlineData("zh-SG")]
    public void Render_SimplifiedChineseCulture_UsesChineseTemplates(string culture)
    {
        var mail = Renderer().Render(SystemMailKind.PasswordReset, CultureInfo.GetCultureInfo(culture), Values());

        Assert.Equal("重置您的 Acme <IoT> 密码", mail.Subject);
        Assert.Contains("重置密码", mail.Html, StringComparison.Ordinal);
        Assert.Contains("lang=\"zh-CN\"", mail.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("it-IT")]
    [InlineData("nl")]
    [InlineData("en-GB")]
    [InlineData("")]
    public void Render_CultureWithoutTemplates_FallsBackToEnglish(string culture)
    {
        var mail = Renderer().Render(SystemMailKind.PasswordReset, CultureInfo.GetCultureInfo(culture), Values());

        Assert.Equal("Reset your Acme <IoT> password", mail.Subject);
    }

    [Fact]
    public void Render_HostOverrideForCulture_WinsOnlyForThatCultureAndPart()
    {
        var options = new MailTemplateOptions();
        options.Overrides[(SystemMailKind.Activation, "fr")] = new MailTemplate { Subject = "Activez votre compte {{ product_name }}" };
        var renderer = Renderer(options);

        var french = renderer.Render(SystemMailKind.Activation, CultureInfo.GetCultureInfo("fr-CA"), Values());
        var english = renderer.Render(SystemMailKind.Activation, CultureInfo.GetCultureInfo("en"), Values());

        Assert.Equal("Activez votre compte Acme <IoT>", french.Subject);
        Assert.Contains("Activer mon compte", french.Html, StringComparison.Ordinal);
        Assert.Equal("Activate your Acme <IoT> account", english.Subject);
    }

    [Fact]
    public void Render_HostOverrideForAllCultures_AppliesAfterSpecificCultures()
    {
        var options = new MailTemplateOptions();
        options.Overrides[(SystemMailKind.Test, "")] = new MailTemplate { Text = "Custom test body for {{ recipient }}" };
        var renderer = Renderer(options);

        var values = Values();
        values["endpoint"] = "e";
        values["provider"] = "p";
        var mail = renderer.Render(SystemMailKind.Test, CultureInfo.GetCultureInfo("zh-CN"), values);

        Assert.StartsWith("Custom test body for user@acme.test", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SubjectTemplateWithNewlines_StaysOneLine()
    {
        var options = new MailTemplateOptions();
        options.Overrides[(SystemMailKind.Activation, "")] = new MailTemplate { Subject = "Line one\r\nBcc: evil@x.test\nend" };

        var mail = Renderer(options).Render(SystemMailKind.Activation, CultureInfo.InvariantCulture, Values());

        Assert.Equal("Line one Bcc: evil@x.test end", mail.Subject);
    }
}
