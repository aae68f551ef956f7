namespace SystemMail;

/// <summary>Where in the SMTP conversation a failure happened.</summary>
internal enum SmtpStage
{
    /// <summary>Connecting through the proxy, up to the proxy's tunnel to the SMTP server.</summary>
    Proxy,

    Connect,
    Authenticate,
    Send,
}
