namespace SystemMail;

/// <summary>The proxy rules across settings; the port's range is an attribute on <see cref="SmtpProxyOptions.Port"/>.</summary>
internal static class ProxyRules
{
    public static void Validate(SmtpProxyOptions? proxy, ValidationErrors errors)
    {
        if (proxy is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(proxy.Host))
        {
            if (proxy.Port != 0 || !string.IsNullOrEmpty(proxy.Username) || !string.IsNullOrEmpty(proxy.Password))
            {
                errors.Add("Proxy.Host", "ProxyHostRequired");
            }

            return;
        }

        if (!HostNames.IsBare(proxy.Host.Trim()))
        {
            errors.Add("Proxy.Host", "ProxyHostNotBare");
        }

        if (!Enum.IsDefined(proxy.Type))
        {
            errors.Add("Proxy.Type", "ProxyTypeUnknown", (int)proxy.Type);
        }

        // 0 is the unset value; a port outside 0-65535 is the attribute's to report.
        if (proxy.Port == 0)
        {
            errors.Add("Proxy.Port", "ProxyPortRequired");
        }

        if (!string.IsNullOrEmpty(proxy.Password) && string.IsNullOrEmpty(proxy.Username))
        {
            errors.Add("Proxy.Username", "ProxyUsernameRequired");
        }

        if (proxy.Type == SmtpProxyType.Socks4 && !string.IsNullOrEmpty(proxy.Password))
        {
            errors.Add("Proxy.Password", "ProxyPasswordNotSentToSocks4");
        }
    }
}
