namespace SystemMail;

/// <summary>
/// The table of Microsoft Graph <c>sendMail</c> answers SystemMail recognizes, with the failure kind and the hint each
/// one gets; the Graph counterpart of <see cref="KnownSmtpReplies"/>. The first matching row wins, so specific rows
/// (an error code, a text) come before general ones (any 403).
/// </summary>
/// <remarks>
/// Error codes are Graph's (<c>error.code</c>, and for throttling <c>innerError.code</c>, read as <c>code/innerCode</c>);
/// texts are matched in <c>error.message</c>, ignoring case.
/// </remarks>
internal static class KnownGraphReplies
{
    private static readonly Row[] Rows =
    [
        // 401: the token is missing, expired, for another audience or from another tenant.
        new(Status: 401, Kind: SystemMailErrorKind.Authentication, Hint: _ => Hints.GraphTokenRejected),

        // 403: an application access policy that leaves the mailbox out, a sending quota, send-as, then any refusal.
        new(Status: 403, Text: ["application access policy", "ApplicationAccessPolicy"], Kind: SystemMailErrorKind.Authentication, Hint: s => Hints.GraphMailboxExcludedByPolicy(s.Username ?? string.Empty)),
        new(Code: ["ErrorExceededMessageLimit", "ErrorQuotaExceeded", "ErrorSubmissionQuotaExceeded"], Kind: SystemMailErrorKind.Throttled, Hint: _ => Hints.GraphSendingQuotaExceeded),
        new(Code: ["ErrorSendAsDenied"], Kind: SystemMailErrorKind.SenderRejected, Hint: s => Hints.Office365SendAs(s.From.Address)),
        new(Status: 403, Kind: SystemMailErrorKind.Authentication, Hint: _ => Hints.GraphPermissionMissing),

        // 404: no such mailbox (ErrorInvalidUser, ResourceNotFound), or one without Exchange Online (MailboxNotEnabledForRESTAPI).
        new(Status: 404, Kind: SystemMailErrorKind.Configuration, Hint: s => Hints.GraphMailboxNotFound(s.Username ?? string.Empty)),
        new(Code: ["MailboxNotEnabledForRESTAPI", "ErrorInvalidUser"], Kind: SystemMailErrorKind.Configuration, Hint: s => Hints.GraphMailboxNotFound(s.Username ?? string.Empty)),

        // 400: the recipients, then anything else about the message.
        new(Code: ["ErrorInvalidRecipients", "ErrorInvalidRecipient"], Kind: SystemMailErrorKind.RecipientRejected, Hint: _ => Hints.GraphInvalidRecipients),

        // 429 and 5xx: wait (Retry-After) and send again.
        new(Code: ["MailboxConcurrency"], Kind: SystemMailErrorKind.Transient, Hint: _ => Hints.GraphMailboxConcurrency),
        new(Status: 429, Kind: SystemMailErrorKind.Transient, Hint: _ => Hints.GraphThrottled(TimeSpan.Zero), RetryAfterHint: true),
        new(Status: 500, Kind: SystemMailErrorKind.Transient, Hint: _ => Hints.GraphUnavailable, AnyStatusFrom: 500),
        new(Status: 400, Kind: SystemMailErrorKind.MessageRejected, Hint: _ => Hints.GraphRequestRefused, AnyStatusFrom: 400),
    ];

    /// <summary>Finds the row for <paramref name="reply"/>; an answer no row names is a refusal of the request.</summary>
    public static (SystemMailErrorKind Kind, Hint Hint) Match(GraphReply reply, SmtpSettings settings)
    {
        foreach (var row in Rows)
        {
            var status = row.AnyStatusFrom is { } from ? reply.StatusCode >= from && reply.StatusCode < from + 100 : row.Status is null || row.Status == reply.StatusCode;
            if (status &&
                (row.Code is null || row.Code.Any(code => reply.ErrorCode?.Split('/').Contains(code, StringComparer.OrdinalIgnoreCase) == true)) &&
                (row.Text is null || row.Text.Any(t => reply.ErrorMessage?.Contains(t, StringComparison.OrdinalIgnoreCase) == true)))
            {
                var hint = row.RetryAfterHint ? Hints.GraphThrottled(reply.RetryAfter ?? TimeSpan.Zero) : row.Hint(settings);
                return (row.Kind, hint);
            }
        }

        return (SystemMailErrorKind.Unknown, Hints.GraphRequestRefused);
    }

    /// <summary>One known answer: every condition given must hold.</summary>
    /// <param name="Hint">The hint, made from the settings (some name the mailbox).</param>
    /// <param name="Kind">The failure kind.</param>
    /// <param name="Status">The HTTP status.</param>
    /// <param name="Code">Graph error codes of which the answer must carry one.</param>
    /// <param name="Text">Texts of which the error message must contain one, ignoring case.</param>
    /// <param name="RetryAfterHint">Whether the hint says how long the provider asked to wait.</param>
    /// <param name="AnyStatusFrom">Any status of this hundred (400: every 4xx), instead of <paramref name="Status"/> alone.</param>
    private sealed record Row(
        Func<SmtpSettings, Hint> Hint,
        SystemMailErrorKind Kind,
        int? Status = null,
        string[]? Code = null,
        string[]? Text = null,
        bool RetryAfterHint = false,
        int? AnyStatusFrom = null);
}
