using System.Net.Http.Headers;

namespace SystemMail;

/// <summary>
/// Posts one MIME message to Microsoft Graph (<c>POST {GraphBaseUrl}/v1.0/users/{mailbox}/sendMail</c>) with a bearer
/// token, through the host's <see cref="IHttpClientFactory"/> client <see cref="GraphHttpClient.Name"/>: plain
/// <see cref="HttpClient"/> for one endpoint, the Graph SDK would add its whole object model for nothing.
/// </summary>
internal sealed class GraphSender
{
    private static readonly MediaTypeHeaderValue TextPlain = new("text/plain");
    private readonly IHttpClientFactory _factory;
    private readonly TimeProvider _time;

    public GraphSender(IHttpClientFactory factory, TimeProvider time)
    {
        _factory = factory;
        _time = time;
    }

    /// <summary>Posts the base64 MIME body; any answer is returned, a request that got none is a <see cref="SystemMailException"/>.</summary>
    /// <param name="settings">The settings: the mailbox, the Graph base URL and the timeout.</param>
    /// <param name="accessToken">The bearer token; it goes nowhere else and is never logged.</param>
    /// <param name="body">The base64 MIME message (<see cref="GraphMime.Encode"/>).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public async Task<GraphReply> PostAsync(SmtpSettings settings, string accessToken, byte[] body, CancellationToken cancellationToken)
    {
        var uri = settings.GraphSendMailUri ?? throw new InvalidOperationException("The settings do not send through Microsoft Graph.");
        using var deadline = new Deadline(_time, settings.Timeout, cancellationToken);
        var http = _factory.CreateClient(GraphHttpClient.Name);
        // The deadline is SystemMail's Timeout, on its clock; HttpClient's own 100 s would cut a longer one short.
        http.Timeout = Timeout.InfiniteTimeSpan;
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = TextPlain;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            return await GraphReply.ReadAsync(response, _time, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw GraphFailureClassifier.Classify(ex, settings);
        }
    }
}
