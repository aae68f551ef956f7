using System.Net;
using MimeKit;

namespace SystemMail.Tests.Infrastructure;

/// <summary>Assertions on mails the test server received.</summary>
internal static class MailAssert
{
    /// <summary>
    /// A link whose query has characters HTML must escape: the text part carries it as the URI's string,
    /// the HTML part escaped.
    /// </summary>
    public static Uri LinkNeedingEscaping(string path) => new($"https://app.example.com/{path}?token=a&b=<x>");

    /// <summary>Checks the envelope, headers and both body parts of a system mail with a link.</summary>
    public static void IsSystemMail(ReceivedMail received, SentMail sent, string recipient, Uri link)
    {
        Assert.Equal(TestMailer.Sender, received.MailFrom);
        Assert.Equal([recipient], received.RcptTo);

        var message = received.Message;
        Assert.Equal(TestMailer.Sender, Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal(recipient, Assert.Single(message.To.Mailboxes).Address);
        Assert.False(string.IsNullOrWhiteSpace(message.Subject));
        Assert.Equal(sent.MessageId, message.MessageId);
        Assert.False(string.IsNullOrEmpty(message.MessageId));
        Assert.NotNull(message.Headers[HeaderId.Date]);
        Assert.NotEqual(default, message.Date);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        var text = alternative.OfType<TextPart>().Single(p => p.IsPlain);
        var html = alternative.OfType<TextPart>().Single(p => p.IsHtml);

        // The text part has the link as it is; the HTML part has it HTML-escaped, never with a bare '&' or '<'.
        Assert.Contains(link.AbsoluteUri, text.Text, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(link.AbsoluteUri), html.Text, StringComparison.Ordinal);
        Assert.Contains("token=a&amp;b=", html.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("token=a&b=", html.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<x>", html.Text, StringComparison.Ordinal);
    }
}
