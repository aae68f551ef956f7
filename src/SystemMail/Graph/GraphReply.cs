using System.Text.Json;

namespace SystemMail;

/// <summary>
/// What Microsoft Graph answered one <c>sendMail</c> request: the HTTP status, Graph's error code and message
/// (<c>{"error": {"code", "message", "innerError": {"request-id"}}}</c>), the request id to quote to Microsoft support,
/// and the <c>Retry-After</c> of a 429 or 503.
/// </summary>
internal sealed record GraphReply(int StatusCode, string? ReasonPhrase, string? ErrorCode, string? ErrorMessage, string? RequestId, TimeSpan? RetryAfter)
{
    /// <summary>Graph answers <c>202 Accepted</c> to a mail it took.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>The reply on one line, as logs and reports show it: status, error code, message and request id; never a token.</summary>
    public string Text =>
        $"{StatusCode} {ErrorCode ?? ReasonPhrase}{(ErrorMessage is { Length: > 0 } message ? ": " + message : string.Empty)}" +
        $"{(RequestId is { } id ? $" (request-id {id})" : string.Empty)}";

    public override string ToString() => Text;

    /// <summary>Reads the answer; the body is read only for an error, and at most a few kilobytes of it.</summary>
    public static async Task<GraphReply> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var requestId = Header(response, "request-id") ?? Header(response, "client-request-id");
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
            _ => (TimeSpan?)null,
        };

        string? code = null;
        string? message = null;
        if (!response.IsSuccessStatusCode)
        {
            (code, message, var innerRequestId) = await ReadErrorAsync(response.Content, cancellationToken).ConfigureAwait(false);
            requestId ??= innerRequestId;
        }

        return new GraphReply((int)response.StatusCode, response.ReasonPhrase, code, message, requestId, retryAfter);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<(string? Code, string? Message, string? RequestId)> ReadErrorAsync(HttpContent content, CancellationToken cancellationToken)
    {
        const int MaxErrorBody = 16 * 1024;
        var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length is 0 or > MaxErrorBody)
        {
            return (null, null, null);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }

            var code = String(error, "code");
            var message = String(error, "message");
            string? requestId = null;
            if (error.TryGetProperty("innerError", out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                requestId = String(inner, "request-id");
                // Throttling names its reason inside (MailboxConcurrency, ApplicationThrottled).
                if (String(inner, "code") is { } innerCode && !string.Equals(innerCode, code, StringComparison.Ordinal))
                {
                    code = $"{code}/{innerCode}";
                }
            }

            return (code, message is null ? null : OneLine(message), requestId);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 500 ? line[..500] + "…" : line;
    }
}
