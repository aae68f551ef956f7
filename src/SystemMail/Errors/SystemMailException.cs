using System.Globalization;

namespace SystemMail;

/// <summary>
/// A mail could not be sent. Keeps what the server said (status code, enhanced status code, reply text),
/// a machine-readable <see cref="Kind"/> and a one-line hint for the administrator: <see cref="GetHint"/> gives its
/// text in the administrator's language, <see cref="HintId"/> names it.
/// </summary>
/// <remarks>
/// <para>The <see cref="Exception.Message"/> says what went wrong and ends with the hint in English, as logs have it.</para>
/// <para>The message, the hint and the reply text never contain a password, an API key, a client secret or a
/// token. The original exception (MailKit's, a socket's) is kept as <see cref="Exception.InnerException"/>.</para>
/// </remarks>
public sealed class SystemMailException : Exception
{
    private readonly string? _givenHint;

    /// <summary>Initializes a new instance with a generic message.</summary>
    public SystemMailException()
        : this("The mail could not be sent.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public SystemMailException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Initializes a new instance with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SystemMailException(string message, Exception? innerException)
        : this(SystemMailErrorKind.Unknown, message, hint: (string?)null, innerException: innerException)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="kind">What kind of failure this is.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="hint">What the administrator should do, in one line; <see cref="GetHint"/> gives it as written, in every culture.</param>
    /// <param name="statusCode">The SMTP reply code, such as 535, when the server answered.</param>
    /// <param name="enhancedStatusCode">The enhanced status code, such as <c>5.7.8</c>, when the reply had one.</param>
    /// <param name="serverResponse">The server's reply text, when it answered.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SystemMailException(
        SystemMailErrorKind kind,
        string message,
        string? hint = null,
        int? statusCode = null,
        string? enhancedStatusCode = null,
        string? serverResponse = null,
        Exception? innerException = null)
        : base(Compose(message, hint), innerException)
    {
        Kind = kind;
        _givenHint = hint;
        StatusCode = statusCode;
        EnhancedStatusCode = enhancedStatusCode;
        ServerResponse = serverResponse;
        Summary = message;
    }

    /// <summary>Initializes a new instance with a hint that can be shown in the administrator's language.</summary>
    internal SystemMailException(
        SystemMailErrorKind kind,
        string message,
        Hint hint,
        int? statusCode = null,
        string? enhancedStatusCode = null,
        string? serverResponse = null,
        Exception? innerException = null)
        : this(kind, message, hint.ToString(), statusCode, enhancedStatusCode, serverResponse, innerException)
    {
        LocalizableHint = hint;
    }

    /// <summary>Gets what kind of failure this is.</summary>
    public SystemMailErrorKind Kind { get; }

    /// <summary>
    /// Gets the stable id of the hint, such as <c>GoogleAppPasswordRequired</c> or <c>ConnectTimeout</c>, for a host
    /// that shows its own text or a help link per hint; <see langword="null"/> when there is no hint, or when it was
    /// given as text to the constructor.
    /// </summary>
    /// <remarks>The same id as <see cref="SmtpDiagnosticReport.HintId"/>.</remarks>
    public string? HintId => LocalizableHint?.Id;

    /// <summary>Gets the SMTP reply code (such as 535), or <see langword="null"/> when the server did not answer.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the enhanced status code (RFC 3463, such as <c>5.7.8</c>), or <see langword="null"/>.</summary>
    public string? EnhancedStatusCode { get; }

    /// <summary>Gets the server's reply text, or <see langword="null"/>.</summary>
    public string? ServerResponse { get; }

    /// <summary>Gets how long to wait before sending again, for <see cref="SystemMailErrorKind.Throttled"/>; otherwise <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets whether sending the same mail later may succeed (<see cref="SystemMailErrorKind.Transient"/>, <see cref="SystemMailErrorKind.Timeout"/>, <see cref="SystemMailErrorKind.Connection"/>).</summary>
    public bool IsTransient => Kind is SystemMailErrorKind.Transient or SystemMailErrorKind.Timeout or SystemMailErrorKind.Connection;

    /// <summary>Gets what went wrong, without the hint.</summary>
    internal string Summary { get; }

    /// <summary>Gets the hint with its id and translations, when SystemMail wrote it.</summary>
    internal Hint? LocalizableHint { get; }

    /// <summary>Gets what the administrator should do, in one line, in the administrator's language.</summary>
    /// <param name="culture">
    /// The language; <see cref="CultureInfo.CurrentUICulture"/> when <see langword="null"/>;
    /// <see cref="CultureInfo.InvariantCulture"/> for the English text the <see cref="Exception.Message"/> ends with.
    /// </param>
    /// <returns>
    /// SystemMail's hint in the culture's language, found along the culture and its parents as the mail templates are
    /// (Simplified Chinese for zh-Hans, zh-CN and zh-SG), in English for a culture it is not written in; the hint
    /// given to the constructor, as written; <see langword="null"/> when there is none.
    /// </returns>
    public string? GetHint(CultureInfo? culture = null) =>
        LocalizableHint?.Text(culture ?? CultureInfo.CurrentUICulture) ?? _givenHint;

    private static string Compose(string message, string? hint) =>
        string.IsNullOrEmpty(hint) ? message : $"{message} {hint}";
}
