namespace SystemMail;

/// <summary>A mail the SMTP server accepted.</summary>
public sealed class SentMail
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="messageId">The Message-Id of the mail, without angle brackets.</param>
    /// <param name="serverResponse">The server's reply to the end of <c>DATA</c>.</param>
    /// <param name="sentAt">When the server accepted the mail.</param>
    public SentMail(string messageId, string serverResponse, DateTimeOffset sentAt)
    {
        MessageId = messageId;
        ServerResponse = serverResponse;
        SentAt = sentAt;
    }

    /// <summary>Gets the Message-Id of the mail, without angle brackets, to find it in the server's logs.</summary>
    public string MessageId { get; }

    /// <summary>Gets the server's reply to the end of <c>DATA</c>, often with its queue id.</summary>
    public string ServerResponse { get; }

    /// <summary>Gets when the server accepted the mail.</summary>
    public DateTimeOffset SentAt { get; }

    /// <summary>Returns the Message-Id and the server's reply.</summary>
    /// <returns>A short description of the accepted mail.</returns>
    public override string ToString() => $"<{MessageId}> accepted at {SentAt:O}: {ServerResponse}";
}
