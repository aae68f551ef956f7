using MimeKit;

namespace SystemMail.AdminSample;

/// <summary>A mail the local inbox received.</summary>
public sealed record InboxMessage(int Id, DateTimeOffset ReceivedAt, MimeMessage Message)
{
    public string To => Message.To.ToString();

    public string Subject => Message.Subject ?? string.Empty;
}
