namespace SystemMail.Tests.Infrastructure.Graph;

/// <summary>An error the Graph test server answers instead of accepting a mail.</summary>
/// <param name="StatusCode">The HTTP status, such as 403.</param>
/// <param name="Code">Graph's <c>error.code</c>, such as <c>ErrorAccessDenied</c>.</param>
/// <param name="Message">Graph's <c>error.message</c>.</param>
/// <param name="RetryAfter">The <c>Retry-After</c> header in whole seconds, or <see langword="null"/> for none.</param>
/// <param name="InnerCode">Graph's <c>innerError.code</c> (throttling reasons such as <c>MailboxConcurrency</c>), or <see langword="null"/>.</param>
public sealed record GraphTestFailure(int StatusCode, string Code, string Message, int? RetryAfter = null, string? InnerCode = null)
{
    public static GraphTestFailure Unauthorized { get; } = new(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");

    public static GraphTestFailure AccessDenied { get; } = new(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");

    public static GraphTestFailure ApplicationAccessPolicy { get; } = new(403, "ErrorAccessDenied", "Access to OData is disabled: Blocked by tenant configured AppOnly AccessPolicy settings. Blocked by an application access policy.");

    public static GraphTestFailure MailboxNotFound { get; } = new(404, "ErrorInvalidUser", "The requested user 'nobody@contoso.test' is invalid.");

    public static GraphTestFailure ResourceNotFound { get; } = new(404, "ResourceNotFound", "Resource could not be discovered.");

    public static GraphTestFailure InvalidRecipients { get; } = new(400, "ErrorInvalidRecipients", "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");

    public static GraphTestFailure SendingQuotaExceeded { get; } = new(403, "ErrorExceededMessageLimit", "Cannot send message: you have exceeded the maximum number of messages you can send in 24 hours.");

    public static GraphTestFailure MailboxConcurrency(int retryAfter) => new(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", retryAfter, "MailboxConcurrency");

    public static GraphTestFailure TooManyRequests(int retryAfter) => new(429, "TooManyRequests", "Too many requests.", retryAfter);

    public static GraphTestFailure ServiceUnavailable(int? retryAfter) => new(503, "ServiceNotAvailable", "The service is temporarily unavailable.", retryAfter);
}
