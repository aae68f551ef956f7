using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SystemMail;

/// <summary>
/// Healthy when the mail server answers and accepts the credentials; degraded when the OAuth2 tokens must be generated
/// (again) or the last send failed; unhealthy when the server cannot be reached or refuses the credentials. Never sends
/// mail; a result is reused for a short while so that frequent probes do not hammer the provider.
/// </summary>
internal sealed class SystemMailHealthCheck : IHealthCheck, IDisposable
{
    private static readonly TimeSpan RecentFailure = TimeSpan.FromMinutes(15);
    private readonly SmtpSettingsSource _settings;
    private readonly SmtpConnector _connector;
    private readonly SendHealth _sends;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheDuration;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? _cached;

    public SystemMailHealthCheck(SmtpSettingsSource settings, SmtpConnector connector, SendHealth sends, TimeProvider time, TimeSpan cacheDuration)
    {
        _settings = settings;
        _connector = connector;
        _sends = sends;
        _time = time;
        _cacheDuration = cacheDuration;
    }

    public void Dispose() => _gate.Dispose();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } cached && _time.GetUtcNow() - cached.At < _cacheDuration)
            {
                return cached.Result;
            }

            var result = await ProbeAsync(cancellationToken).ConfigureAwait(false);
            _cached = (_time.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        SmtpSettings settings;
        try
        {
            settings = _settings.Current;
        }
        catch (SystemMailException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }

        var data = new Dictionary<string, object>
        {
            ["provider"] = settings.Template.Id,
            ["endpoint"] = settings.Endpoint,
            ["authentication"] = settings.Authentication.ToString(),
        };
        try
        {
            using var client = await _connector.ConnectAsync(settings, protocolLogger: null, cancellationToken).ConfigureAwait(false);
            using var budget = new CancellationTokenSource(settings.Timeout, _time);
            using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
            await client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
        }
        catch (SystemMailException ex) when (settings.OAuth2 is not null && ex.Kind == SystemMailErrorKind.Authentication && ex.StatusCode is null)
        {
            // Refused before the SMTP server was asked: no tokens, or tokens that must be generated again.
            return HealthCheckResult.Degraded($"{ex.Message} {ex.Hint}", ex, data);
        }
        catch (SystemMailException ex)
        {
            data["errorKind"] = ex.Kind.ToString();
            return HealthCheckResult.Unhealthy($"{ex.Message} {ex.Hint}", ex, data);
        }

        if (_sends.Last is { Failure: { } failure } last && _time.GetUtcNow() - last.At < RecentFailure)
        {
            data["lastFailureAt"] = last.At;
            data["errorKind"] = failure.Kind.ToString();
            return HealthCheckResult.Degraded($"The server answers, but the last send failed: {failure.Message}", failure, data);
        }

        return HealthCheckResult.Healthy($"{settings.Endpoint} answers and accepts the credentials.", data);
    }
}
