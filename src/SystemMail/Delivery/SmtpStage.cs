namespace SystemMail;

/// <summary>Where in the SMTP conversation a failure happened.</summary>
internal enum SmtpStage
{
    Connect,
    Authenticate,
    Send,
}
