using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SystemMail.Tests.Infrastructure.OAuth2;

namespace SystemMail.Tests.Infrastructure.Graph;

/// <summary>
/// A Microsoft Graph <c>sendMail</c> endpoint on https://127.0.0.1 (an OS-chosen port) for tests:
/// <c>POST /v1.0/users/{mailbox}/sendMail</c> with a base64 MIME body (<c>Content-Type: text/plain</c>), answered
/// <c>202 Accepted</c> with a <c>request-id</c>, as Graph does.
/// </summary>
/// <remarks>
/// <para>It accepts only bearer tokens that <see cref="OAuth2TestServer"/> issued and still holds valid, for Graph's
/// audience: an application token with <c>https://graph.microsoft.com/.default</c> for any mailbox, or a delegated
/// token with <c>https://graph.microsoft.com/Mail.Send</c> for its own mailbox. Anything else is a 401 or 403 with
/// Graph's error body.</para>
/// <para>Knobs (<see cref="Fail"/>) make the next requests answer 401, 403, 404, 429 or 503 with <c>Retry-After</c>.</para>
/// </remarks>
public sealed class GraphTestServer : IAsyncDisposable
{
    public const string ApplicationScope = "https://graph.microsoft.com/.default";
    public const string DelegatedScope = "https://graph.microsoft.com/Mail.Send";

    private readonly WebApplication _app;
    private readonly OAuth2TestServer _issuer;
    private readonly ConcurrentQueue<GraphReceivedMail> _mails = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, int Status)> _answers = new();
    private readonly Lock _gate = new();
    private readonly Queue<GraphTestFailure> _failures = new();
    private int _requests;
    private int _accepted;
    private volatile bool _keepMails = true;

    private GraphTestServer(OAuth2TestServer issuer, X509Certificate2 certificate, TimeProvider time)
    {
        _issuer = issuer;
        Certificate = certificate;
        Time = time;
        _app = LoopbackHttpsApp.Create(certificate, HandleAsync);
    }

    /// <summary>The self-signed certificate the server presents (CN=localhost).</summary>
    public X509Certificate2 Certificate { get; }

    public int Port { get; private set; }

    /// <summary><c>https://localhost:PORT/</c>: what <see cref="SystemMailOptions.GraphBaseUrl"/> is set to.</summary>
    public Uri BaseUri => new($"https://localhost:{Port}/");

    /// <summary>The clock the answers are stamped with (<see cref="Answers"/>).</summary>
    public TimeProvider Time { get; }

    /// <summary>Every request received, answered well or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>How many mails were accepted, kept or not.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Whether accepted mails are kept in <see cref="Mails"/>; off for runs of thousands, which only count them.</summary>
    public bool KeepMails
    {
        get => _keepMails;
        set => _keepMails = value;
    }

    /// <summary>The mails accepted, in order.</summary>
    public IReadOnlyList<GraphReceivedMail> Mails => [.. _mails];

    /// <summary>Every answer's status, stamped with <see cref="Time"/> when the request came in.</summary>
    public IReadOnlyList<(DateTimeOffset At, int Status)> Answers => [.. _answers];

    public static async Task<GraphTestServer> StartAsync(OAuth2TestServer issuer, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var server = new GraphTestServer(issuer, LoopbackCertificate.Create(), time ?? TimeProvider.System);
        try
        {
            server.Port = await LoopbackHttpsApp.StartAsync(server._app, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A handler that trusts only <see cref="Certificate"/>.</summary>
    public SocketsHttpHandler CreateHttpMessageHandler() => PinnedCertificate.CreateHandler(Certificate);

    /// <summary>The next <paramref name="count"/> requests answer <paramref name="failure"/> (after any queued before).</summary>
    public void Fail(GraphTestFailure failure, int count = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue(failure);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await LoopbackHttpsApp.StopAsync(_app);
        Certificate.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var at = Time.GetUtcNow();
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["request-id"] = requestId;
        var status = await AnswerAsync(context, requestId);
        _answers.Enqueue((at, status));
    }

    private async Task<int> AnswerAsync(HttpContext context, string requestId)
    {
        var request = context.Request;
        var segments = (request.Path.Value ?? "/").Trim('/').Split('/');
        if (!HttpMethods.IsPost(request.Method) || segments is not ["v1.0", "users", var escapedMailbox, "sendMail"])
        {
            return await ErrorAsync(context, new GraphTestFailure(404, "UnknownError", $"Nothing is served at {request.Method} {request.Path}."), requestId);
        }

        var mailbox = Uri.UnescapeDataString(escapedMailbox);
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !_issuer.TryGetValidAccessToken(header["Bearer ".Length..], out var token))
        {
            return await ErrorAsync(context, new GraphTestFailure(401, "InvalidAuthenticationToken", "Access token is empty, unknown or expired."), requestId);
        }

        var scopes = token.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var application = token.Username is null && scopes.Contains(ApplicationScope, StringComparer.Ordinal);
        var delegated = token.Username is not null && scopes.Contains(DelegatedScope, StringComparer.OrdinalIgnoreCase);
        if (!application && !delegated)
        {
            return await ErrorAsync(context, new GraphTestFailure(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience."), requestId);
        }

        if (delegated && !string.Equals(token.Username, mailbox, StringComparison.OrdinalIgnoreCase))
        {
            return await ErrorAsync(context, GraphTestFailure.AccessDenied, requestId);
        }

        GraphTestFailure? failure = null;
        lock (_gate)
        {
            _failures.TryDequeue(out failure);
        }

        if (failure is not null)
        {
            return await ErrorAsync(context, failure, requestId);
        }

        if (request.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) != true)
        {
            return await ErrorAsync(context, new GraphTestFailure(415, "UnsupportedMediaType", "MIME content must be text/plain."), requestId);
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        byte[] mime;
        try
        {
            mime = Convert.FromBase64String(body);
        }
        catch (FormatException)
        {
            return await ErrorAsync(context, new GraphTestFailure(400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content."), requestId);
        }

        Interlocked.Increment(ref _accepted);
        if (KeepMails)
        {
            _mails.Enqueue(new GraphReceivedMail(mailbox, mime, token.ClientId, token.Scope, token.Value));
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        return StatusCodes.Status202Accepted;
    }

    private static async Task<int> ErrorAsync(HttpContext context, GraphTestFailure failure, string requestId)
    {
        var response = context.Response;
        response.StatusCode = failure.StatusCode;
        if (failure.RetryAfter is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var inner = new JsonObject { ["date"] = DateTimeOffset.UtcNow.ToString("s"), ["request-id"] = requestId, ["client-request-id"] = requestId };
        if (failure.InnerCode is { } innerCode)
        {
            inner["code"] = innerCode;
        }

        var body = new JsonObject { ["error"] = new JsonObject { ["code"] = failure.Code, ["message"] = failure.Message, ["innerError"] = inner } };
        response.ContentType = "application/json";
        await response.WriteAsync(body.ToJsonString());
        return failure.StatusCode;
    }
}
