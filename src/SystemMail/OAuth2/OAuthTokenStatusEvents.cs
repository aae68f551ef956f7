using Microsoft.Extensions.Logging;

namespace SystemMail;

/// <summary>Raises <see cref="IOAuthTokenService.StatusChanged"/>; a host's handler that throws is logged and never breaks sending.</summary>
internal sealed class OAuthTokenStatusEvents
{
    private readonly object _sender;
    private readonly ILogger _logger;
    private readonly Action<OAuthTokenStatus> _unusable;

    /// <param name="sender">The sender of the event.</param>
    /// <param name="logger">Where a failing handler is logged.</param>
    /// <param name="unusable">Called first, before the host's handlers, with every status whose tokens may not be used.</param>
    public OAuthTokenStatusEvents(object sender, ILogger logger, Action<OAuthTokenStatus> unusable)
    {
        _sender = sender;
        _logger = logger;
        _unusable = unusable;
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
        if (status.State != OAuthTokenState.Generated)
        {
            _unusable(status);
        }

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
