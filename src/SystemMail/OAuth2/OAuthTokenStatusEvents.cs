using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>Raises <see cref="IOAuthTokenService.StatusChanged"/>; a host's handler that throws is logged and never breaks sending.</summary>
internal sealed class OAuthTokenStatusEvents
{
    private readonly object _sender;
    private readonly ILogger _logger;

    public OAuthTokenStatusEvents(object sender, ILogger logger)
    {
        _sender = sender;
        _logger = logger;
    }

    public event EventHandler<OAuthTokenStatusChangedEventArgs>? StatusChanged;

    /// <summary>Raises the status of <paramref name="record"/> and returns it.</summary>
    public OAuthTokenStatus Publish(OAuthTokenRecord record)
    {
        var status = record.ToStatus();
        Raise(status);
        return status;
    }

    public void Raise(OAuthTokenStatus status)
    {
        try
        {
            StatusChanged?.Invoke(_sender, new OAuthTokenStatusChangedEventArgs(status));
        }
#pragma warning disable CA1031 // A host's handler must not break sending.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.StatusHandlerFailed(_logger, ex);
        }
    }
}
