using System.Globalization;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.IO;

namespace SystemMail.Tests.Mailer;

public sealed class SystemMailMessageTests
{
    private static readonly MailboxAddress From = MailboxAddress.Parse("\"Acme IoT 平台\" <no-reply@acme.test>");

    public static TheoryData<SystemMailKind, string> KindsAndCultures()
    {
        var data = new TheoryData<SystemMailKind, string>();
        foreach (var kind in Enum.GetValues<SystemMailKind>())
        {
            data.Add(kind, "en");
            data.Add(kind, "zh-Hans");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndCultures))]
    public void Create_BuiltInTemplate_SizeEstimateBoundsTheMessageAsSent(SystemMailKind kind, string culture)
    {
        // Arrange
        var rendered = Render(kind, culture, "https://app.acme.test/activate?token=" + new string('x', 900));

        // Act
        using var message = SystemMailMessage.Create(rendered, From, MailboxAddress.Parse("新用户 <new.user@acme.test>"), DateTimeOffset.UtcNow);
        var sent = SizeAsSent(message, EncodingConstraint.SevenBit);
        var estimate = Assert.IsType<RenderedMimeMessage>(message).SizeEstimate;

        // Assert
        // An upper bound (RFC 1870 asks for an estimate), and not so loose that it means nothing.
        Assert.NotNull(estimate);
        Assert.InRange(estimate.Value, sent, 8 * sent);
    }

    [Fact]
    public void Create_EightBitServer_SizeEstimateStillBoundsTheMessage()
    {
        // Arrange
        var rendered = Render(SystemMailKind.PasswordReset, "zh-Hans", "https://app.acme.test/reset?code=" + new string('y', 64));

        // Act
        using var message = SystemMailMessage.Create(rendered, From, MailboxAddress.Parse("user@acme.test"), DateTimeOffset.UtcNow);
        var sent = SizeAsSent(message, EncodingConstraint.EightBit);

        // Assert
        Assert.InRange(Assert.IsType<RenderedMimeMessage>(message).SizeEstimate!.Value, sent, 8 * sent);
    }

    [Fact]
    public void Create_BodyLargerThanAnEstimateShouldCover_LeavesTheSizeToBeMeasured()
    {
        // Arrange
        var text = string.Concat(Enumerable.Repeat("A line of a very long host template. ", 2000));
        var rendered = new RenderedMail("Subject", "<p>" + text + "</p>", text);

        // Act
        using var message = SystemMailMessage.Create(rendered, From, MailboxAddress.Parse("user@acme.test"), DateTimeOffset.UtcNow);

        // Assert
        Assert.Null(Assert.IsType<RenderedMimeMessage>(message).SizeEstimate);
    }

    [Fact]
    public void Create_RenderedMail_MultipartAlternativeWithTextThenHtmlAndAutoSubmitted()
    {
        // Arrange
        var rendered = Render(SystemMailKind.Activation, "en", "https://app.acme.test/activate?token=abc");
        var date = new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);

        // Act
        using var message = SystemMailMessage.Create(rendered, From, MailboxAddress.Parse("user@acme.test"), date);

        // Assert
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType).ToArray());
        Assert.Equal(rendered.Subject, message.Subject);
        Assert.Equal(date, message.Date);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.EndsWith("@acme.test", message.MessageId, StringComparison.Ordinal);
        Assert.Equal("no-reply@acme.test", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("user@acme.test", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal(rendered.Text.ReplaceLineEndings(), Assert.IsType<string>(message.TextBody).ReplaceLineEndings());
    }

    /// <summary>The size on the wire, as MailKit measures it: prepared for the server, CRLF line ends.</summary>
    private static long SizeAsSent(MimeMessage message, EncodingConstraint constraint)
    {
        message.Prepare(constraint, 998);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.EnsureNewLine = true;
        using var measure = new MeasuringStream();
        message.WriteTo(format, measure);
        return measure.Length;
    }

    private static RenderedMail Render(SystemMailKind kind, string culture, string link)
    {
        var renderer = new MailTemplateRenderer(Options.Create(new MailTemplateOptions()));
        return renderer.Render(kind, CultureInfo.GetCultureInfo(culture), new Dictionary<string, string>
        {
            ["product_name"] = "Acme IoT 平台",
            ["product_url"] = "https://app.acme.test/",
            ["support_address"] = "support@acme.test",
            ["recipient"] = "new.user@acme.test",
            ["link"] = link,
            ["lifetime"] = "24 小时",
            ["lifetime_minutes"] = "1440",
            ["code"] = "483920",
            ["lockout_end"] = "2026-11-24 10:00 UTC",
            ["endpoint"] = "smtp.acme.test:587",
            ["provider"] = "Custom",
        });
    }
}
