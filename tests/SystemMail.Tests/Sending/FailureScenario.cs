namespace SystemMail.Tests.Sending;

/// <summary>A failure the secrecy tests provoke against a real server.</summary>
public enum FailureScenario
{
    WrongPassword,
    TemporaryAuthenticationFailure,
    AuthNotOffered,
    RecipientRefused,
    SenderRefused,
    MessageTooLarge,
    ServerNeverAnswers,
    StartTlsAgainstImplicitTlsPort,
    SslOnConnectAgainstPlainPort,
    StartTlsNotOffered,
    CertificateForWrongName,
    ConnectionRefused,
}
