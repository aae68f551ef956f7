namespace SystemMail;

/// <summary>A reply of the SMTP server: the status code, the enhanced status code and the text, as the server sent them.</summary>
public sealed class SmtpServerReply
{
    /// <summary>Gets the reply code, such as <c>535</c>.</summary>
    public required int StatusCode { get; init; }

    /// <summary>Gets the enhanced status code (RFC 3463), such as <c>5.7.8</c>, or <see langword="null"/> when the reply had none.</summary>
    public string? EnhancedStatusCode { get; init; }

    /// <summary>Gets the text after the code; the lines of a multi-line reply are joined with a line feed.</summary>
    public required string Text { get; init; }

    /// <summary>Returns the reply as the server sent it on one line.</summary>
    /// <returns>Such as <c>535 5.7.8 Username and Password not accepted</c>.</returns>
    public override string ToString() => $"{StatusCode} {Text.Replace('\n', ' ')}";
}
