using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SystemMail;

/// <summary>
/// Healthy when the mail server answers and accepts the credentials (with Microsoft Graph: when an access token is
/// obtained, Graph itself being judged by the last send); degraded when the OAuth2 tokens must be generated
/// (again), the last send failed or a saved template fell back to the built-in one; unhealthy when the server cannot
/// be reached or refuses the credentials, or when the
/// saved settings cannot be read (<see cref="SettingsHealth"/>). Never sends mail; a result is reused for a short while
/// so that frequent probes do not hammer the provider.
/// </summary>
internal sealed class SystemMailHealthCheck : IHealthCheck, IDisposable
{
    private static readonly TimeSpan RecentFailure = TimeSpan.FromMinutes(15);
    private readonly SmtpSettingsSource _settings;
    private readonly SmtpConnector _connector;
    private readonly OAuthTokenManager _tokens;
    private readonly SendHealth _sends;
    private readonly SettingsHealth _settingsHealth;
    private readonly TemplateHealth? _templateHealth;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheDuration;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? _cached;

    public SystemMailHealthCheck(SmtpSettingsSource settings, SmtpConnector connector, OAuthTokenManager tokens, SendHealth sends, SettingsHealth settingsHealth, TimeProvider time, TimeSpan cacheDuration, TemplateHealth? templateHealth = null)
    {
        _templateHealth = templateHealth;
        _settings = settings;
        _connector = connector;
        _tokens = tokens;
        _sends = sends;
        _settingsHealth = settingsHealth;
        _time = time;
        _cacheDuration = cacheDuration;
    }

    public void Dispose() => _gate.Dispose();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Known without a probe, and cleared the moment the settings are saved again: never cached.
        if (_settingsHealth.Problem is { } problem)
        {
            return HealthCheckResult.Unhealthy(problem);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } cached && _time.GetUtcNow() - cached.At < _cacheDuration)
            {
                return WithTemplates(cached.Result);
            }

            var result = await ProbeAsync(cancellationToken).ConfigureAwait(false);
            _cached = (_time.GetUtcNow(), result);
            return WithTemplates(result);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A saved template that fell back to the built-in one degrades a healthy result (mail still goes out, but not with
    /// the administrator's text); known without a probe, so never cached, and cleared when the template is saved again.
    /// </summary>
    private HealthCheckResult WithTemplates(HealthCheckResult result) =>
        result.Status == HealthStatus.Healthy && _templateHealth?.Problem is { } problem
            ? HealthCheckResult.Degraded(problem, data: result.Data)
            : result;

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
            if (settings.Transport == MailTransport.MicrosoftGraph)
            {
                // Graph has no login without a mail: the probe is the token a send would use; sends report the rest.
                await _tokens.GetAccessTokenAsync(settings.OAuth2!, rejectedAccessToken: null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var client = await _connector.ConnectAsync(settings, protocolLogger: null, cancellationToken).ConfigureAwait(false);
                await _connector.QuitAsync(client, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SystemMailException ex) when (settings.OAuth2 is not null && ex.Kind == SystemMailErrorKind.Authentication && ex.StatusCode is null)
        {
            // Refused before the SMTP server was asked: no tokens, or tokens that must be generated again. The
            // message ends with the hint.
            return HealthCheckResult.Degraded(ex.Message, ex, data);
        }
        catch (SystemMailException ex)
        {
            data["errorKind"] = ex.Kind.ToString();
            return HealthCheckResult.Unhealthy(ex.Message, ex, data);
        }

        if (_sends.Last is { Failure: { } failure } last && _time.GetUtcNow() - last.At < RecentFailure)
        {
            data["lastFailureAt"] = last.At;
            data["errorKind"] = failure.Kind.ToString();
            return HealthCheckResult.Degraded($"The server answers, but the last send failed: {failure.Message}", failure, data);
        }

        return HealthCheckResult.Healthy(
            settings.Transport == MailTransport.MicrosoftGraph
                ? $"An access token for Microsoft Graph at {settings.Endpoint} was obtained."
                : $"{settings.Endpoint} answers and accepts the credentials.",
            data);
    }
}
