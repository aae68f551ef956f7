namespace SystemMail;

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>No encryption. Only for a server on a trusted network or on loopback.</summary>
    None = 0,

    /// <summary>A plain connection upgraded with the <c>STARTTLS</c> command (usually port 587).</summary>
    StartTls = 1,

    /// <summary>TLS from the first byte, also called implicit TLS or SMTPS (usually port 465).</summary>
    SslOnConnect = 2,
}
