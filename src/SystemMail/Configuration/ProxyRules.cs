using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>The proxy rules across settings; the port's range is an attribute on <see cref="SmtpProxyOptions.Port"/>.</summary>
internal static class ProxyRules
{
    public static void Validate(SmtpProxyOptions? proxy, ValidateOptionsResultBuilder errors)
    {
        if (proxy is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(proxy.Host))
        {
            if (proxy.Port != 0 || !string.IsNullOrEmpty(proxy.Username) || !string.IsNullOrEmpty(proxy.Password))
            {
                errors.AddError("is required when other proxy settings are given.", "Proxy.Host");
            }

            return;
        }

        if (!HostNames.IsBare(proxy.Host.Trim()))
        {
            errors.AddError(
                $"{SystemMailOptionsValidator.NotBareHost}; the port goes in Proxy.Port and the credentials in Proxy.Username and Proxy.Password.",
                "Proxy.Host");
        }

        if (!Enum.IsDefined(proxy.Type))
        {
            errors.AddError($"{(int)proxy.Type} is not one of Socks5, Socks4, Http, Https.", "Proxy.Type");
        }

        // 0 is the unset value; a port outside 0-65535 is the attribute's to report.
        if (proxy.Port == 0)
        {
            errors.AddError("is required with Proxy.Host: the proxy's port, such as 1080 (SOCKS) or 3128 (HTTP).", "Proxy.Port");
        }

        if (!string.IsNullOrEmpty(proxy.Password) && string.IsNullOrEmpty(proxy.Username))
        {
            errors.AddError("is required when Proxy.Password is set.", "Proxy.Username");
        }

        if (proxy.Type == SmtpProxyType.Socks4 && !string.IsNullOrEmpty(proxy.Password))
        {
            errors.AddError(
                "is not sent to a Socks4 proxy: SOCKS4 and 4a carry only a user id (Proxy.Username); remove the password, or choose Socks5 if the proxy needs one.",
                "Proxy.Password");
        }
    }
}
