namespace SystemMail;

/// <summary>The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client that posts mail to Microsoft Graph.</summary>
internal static class GraphHttpClient
{
    public const string Name = "SystemMail.Graph";
}
