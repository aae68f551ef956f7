namespace SystemMail;

/// <summary>
/// The one place the administrator-facing hints are written, each in English and Simplified Chinese. Settings are
/// named by their <see cref="SystemMailOptions"/> property names in both languages, so a hint points at one field
/// however a host labels it.
/// </summary>
internal static class Hints
{
    public static Hint GoogleCredentials => new(
        nameof(GoogleCredentials),
        "Google refused the user name and password: sign in with an app password (turn on 2-Step Verification, then create one at myaccount.google.com/apppasswords), not the account password, or use OAuth2.",
        "Google 拒绝了用户名和密码：请使用应用专用密码（先开启两步验证，再到 myaccount.google.com/apppasswords 创建），而不是账号密码；或者改用 OAuth2。");

    public static Hint GoogleAppPasswordRequired => new(
        nameof(GoogleAppPasswordRequired),
        "This Google account has 2-Step Verification on and needs an app password: create one at myaccount.google.com/apppasswords and enter it as Password, or use OAuth2.",
        "该 Google 账号已开启两步验证，必须使用应用专用密码：请到 myaccount.google.com/apppasswords 创建一个并填入 Password，或者改用 OAuth2。");

    public static Hint GoogleWebLoginRequired => new(
        nameof(GoogleWebLoginRequired),
        "Google blocked the sign-in: sign in to the account in a web browser once and confirm it was you, then use an app password or OAuth2.",
        "Google 阻止了此次登录：请先在浏览器中登录该账号并确认是本人操作，然后使用应用专用密码或 OAuth2。");

    public static Hint Office365AuthUnsuccessful => new(
        nameof(Office365AuthUnsuccessful),
        "Office 365 refused the login: check that Username is the full mailbox address and Password is right; if they are, enable 'Authenticated SMTP' for the mailbox (Microsoft 365 admin center > Users > Mail > Manage email apps) and make sure security defaults do not block it.",
        "Office 365 拒绝了登录：请确认 Username 是完整的邮箱地址且 Password 正确；若无误，请在 Microsoft 365 管理中心为该邮箱启用“经过身份验证的 SMTP”（用户 > 邮件 > 管理电子邮件应用），并确认安全默认值没有阻止它。");

    public static Hint Office365SmtpAuthDisabled => new(
        nameof(Office365SmtpAuthDisabled),
        "SMTP AUTH is turned off in this Office 365 organization: an Exchange admin must enable it for the mailbox (Set-CASMailbox -SmtpClientAuthenticationDisabled $false) or for the tenant (Set-TransportConfig -SmtpClientAuthenticationDisabled $false).",
        "该 Office 365 组织已关闭 SMTP AUTH：请 Exchange 管理员为该邮箱（Set-CASMailbox -SmtpClientAuthenticationDisabled $false）或整个租户（Set-TransportConfig -SmtpClientAuthenticationDisabled $false）启用。");

    public static Hint Office365BasicAuthBlocked => new(
        nameof(Office365BasicAuthBlocked),
        "Office 365 does not allow password sign-in for this mailbox (security defaults or a Conditional Access policy): set Authentication to OAuth2, or ask the admin to allow SMTP AUTH for this mailbox.",
        "Office 365 不允许此邮箱使用密码登录（安全默认值或条件访问策略）：请将 Authentication 设为 OAuth2，或请管理员允许该邮箱使用 SMTP AUTH。");

    public static Hint Office365OAuth2Refused => new(
        nameof(Office365OAuth2Refused),
        "Office 365 refused the OAuth2 token: enable 'Authenticated SMTP' for the mailbox and check that the app has the SMTP.Send permission (client credentials: its service principal must be registered in Exchange with access to the mailbox).",
        "Office 365 拒绝了 OAuth2 令牌：请为该邮箱启用“经过身份验证的 SMTP”，并确认应用拥有 SMTP.Send 权限（客户端凭据流程：需在 Exchange 中注册应用的服务主体并授予其邮箱访问权限）。");

    public static Hint Office365NotAuthenticated => new(
        nameof(Office365NotAuthenticated),
        "Office 365 takes mail on smtp.office365.com only after login: set Authentication to Basic or OAuth2 with the mailbox's credentials.",
        "smtp.office365.com 只接受登录后的发信：请将 Authentication 设为 Basic 或 OAuth2，并填写该邮箱的凭据。");

    public static Hint Office365SendAs(string from) => new(
        nameof(Office365SendAs),
        "Office 365 does not let this mailbox send as '{0}': set From to the mailbox's own address, or grant the mailbox 'Send As' permission for that address.",
        "Office 365 不允许此邮箱以“{0}”的身份发信：请将 From 设为该邮箱自己的地址，或为该邮箱授予此地址的“代理发送（Send As）”权限。",
        from);

    public static Hint SendGridCredentials => new(
        nameof(SendGridCredentials),
        "SendGrid refused the login: the user name must be 'apikey' and the password an API key with 'Mail Send' permission.",
        "SendGrid 拒绝了登录：用户名必须是“apikey”，密码必须是具有“Mail Send”权限的 API 密钥。");

    public static Hint SendGridApiKeyRevoked => new(
        nameof(SendGridApiKeyRevoked),
        "SendGrid no longer accepts this API key (deleted, expired or revoked): create a new API key with 'Mail Send' permission and enter it as Password.",
        "SendGrid 不再接受此 API 密钥（已删除、已过期或已吊销）：请创建一个具有“Mail Send”权限的新 API 密钥并填入 Password。");

    public static Hint SendGridSenderIdentity => new(
        nameof(SendGridSenderIdentity),
        "SendGrid refused the From address: verify it as a Sender Identity (single sender or domain authentication) in SendGrid, then send again.",
        "SendGrid 拒绝了发件人地址：请在 SendGrid 中将其验证为发件人身份（单一发件人验证或域名认证），然后重试。");

    public static Hint WrongCredentials => new(
        nameof(WrongCredentials),
        "The server refused the user name or password: check Username and Password (many providers need an app password or an API key).",
        "服务器拒绝了用户名或密码：请检查 Username 和 Password（许多服务商要求使用应用专用密码或 API 密钥）。");

    public static Hint AuthenticationRequired => new(
        nameof(AuthenticationRequired),
        "The server takes mail only after login: set Authentication to Basic (or OAuth2) with the account's credentials.",
        "服务器要求先登录才能发信：请将 Authentication 设为 Basic（或 OAuth2），并填写账号凭据。");

    public static Hint AuthNotOffered(string endpoint, SmtpSecurity security) => security == SmtpSecurity.None
        ? new(
            nameof(AuthNotOffered),
            "The server at {0} offers no AUTH on a plain connection: set Security to StartTls (most servers offer AUTH only after STARTTLS), or Authentication to None for an open relay.",
            "{0} 上的服务器在未加密的连接上不提供 AUTH：请将 Security 设为 StartTls（大多数服务器只在 STARTTLS 之后提供 AUTH）；若是开放中继，则将 Authentication 设为 None。",
            endpoint)
        : new(
            nameof(AuthNotOffered),
            "The server at {0} offers no authentication: set Authentication to None if it is an open relay, or check Host and Port.",
            "{0} 上的服务器不提供身份验证：若是开放中继，请将 Authentication 设为 None；否则请检查 Host 和 Port。",
            endpoint);

    public static Hint StartTlsNotOffered(string endpoint) => new(
        nameof(StartTlsNotOffered),
        "The server at {0} does not offer STARTTLS: if the port expects implicit TLS (usually 465), set Security to SslOnConnect; use None only on a trusted network.",
        "{0} 上的服务器不支持 STARTTLS：如果该端口使用隐式 TLS（通常是 465），请将 Security 设为 SslOnConnect；只有在可信网络中才使用 None。",
        endpoint);

    public static Hint StartTlsRequired => new(
        nameof(StartTlsRequired),
        "The server requires STARTTLS before this command: set Security to StartTls.",
        "服务器要求先执行 STARTTLS：请将 Security 设为 StartTls。");

    public static Hint StartTlsRefused(string endpoint) => new(
        nameof(StartTlsRefused),
        "The server at {0} offers STARTTLS but could not start TLS, a problem on the server's side: try again later, or use its implicit-TLS port (usually 465) with Security SslOnConnect.",
        "{0} 上的服务器提供 STARTTLS 却无法启动 TLS，这是服务器端的问题：请稍后重试，或改用其隐式 TLS 端口（通常是 465）并将 Security 设为 SslOnConnect。",
        endpoint);

    public static Hint ImplicitTlsAgainstPlainPort(string endpoint) => new(
        nameof(ImplicitTlsAgainstPlainPort),
        "The server at {0} answered in plain text, not TLS: this port expects STARTTLS (usually 587) or no TLS. Set Security to StartTls, or use the implicit-TLS port (usually 465).",
        "{0} 上的服务器以明文而不是 TLS 应答：该端口使用 STARTTLS（通常是 587）或不加密。请将 Security 设为 StartTls，或改用隐式 TLS 端口（通常是 465）。",
        endpoint);

    public static Hint PlainAgainstImplicitTlsPort(string endpoint) => new(
        nameof(PlainAgainstImplicitTlsPort),
        "The server at {0} speaks TLS from the first byte (implicit TLS) and sent no plain greeting: set Security to SslOnConnect, or use the STARTTLS port (usually 587).",
        "{0} 上的服务器从第一个字节起就使用 TLS（隐式 TLS），不会发送明文问候：请将 Security 设为 SslOnConnect，或改用 STARTTLS 端口（通常是 587）。",
        endpoint);

    public static Hint CertificateUntrusted(string endpoint) => new(
        nameof(CertificateUntrusted),
        "The certificate of {0} is not trusted or does not match the host name: use the host name the certificate was issued for, or trust the server's certificate authority on this machine.",
        "{0} 的证书不受信任或与主机名不符：请使用证书签发时对应的主机名，或在本机信任该服务器的证书颁发机构。",
        endpoint);

    public static Hint CertificateNameMismatch(string endpoint, string host, string certificateNames) => new(
        nameof(CertificateNameMismatch),
        "The certificate of {0} is issued for {2}, not '{1}': set Host to a name the certificate covers.",
        "{0} 的证书签发给 {2}，而不是“{1}”：请将 Host 设为证书中包含的名称。",
        endpoint,
        host,
        certificateNames);

    public static Hint CertificateChainUntrusted(string endpoint) => new(
        nameof(CertificateChainUntrusted),
        "The certificate of {0} is self-signed or issued by an authority this machine does not trust: install the server's CA certificate in this machine's trust store, or trust it in code with ServerCertificateValidationCallback.",
        "{0} 的证书是自签名的，或由本机不信任的颁发机构签发：请把服务器的 CA 证书安装到本机的受信任证书存储中，或在代码中通过 ServerCertificateValidationCallback 信任它。",
        endpoint);

    public static Hint CertificateExpired(string endpoint) => new(
        nameof(CertificateExpired),
        "The certificate of {0} has expired or is not valid yet: the server's administrator must renew it (check this machine's clock too).",
        "{0} 的证书已过期或尚未生效：请服务器管理员续期证书（同时检查本机时钟）。",
        endpoint);

    public static Hint ServerTlsTooOld(string endpoint) => new(
        nameof(ServerTlsTooOld),
        "The server at {0} offers only TLS 1.0 or 1.1, which are deprecated and not accepted: upgrade the server to TLS 1.2 or later, or send through a provider that supports it.",
        "{0} 上的服务器只支持已弃用的 TLS 1.0 或 1.1，不被接受：请将服务器升级到 TLS 1.2 或更高版本，或改用支持它的服务商发信。",
        endpoint);

    public static Hint Tls13NotOffered(string endpoint) => new(
        nameof(Tls13NotOffered),
        "The server at {0} does not offer TLS 1.3: set MinimumTlsVersion to Tls12.",
        "{0} 上的服务器不支持 TLS 1.3：请将 MinimumTlsVersion 设为 Tls12。",
        endpoint);

    public static Hint TlsFailed(string endpoint) => new(
        nameof(TlsFailed),
        "The TLS handshake with {0} failed: check that Port and Security belong together (465 = SslOnConnect, 587 = StartTls).",
        "与 {0} 的 TLS 握手失败：请检查 Port 与 Security 是否匹配（465 = SslOnConnect，587 = StartTls）。",
        endpoint);

    public static Hint HostNotFound(string host) => new(
        nameof(HostNotFound),
        "The host name '{0}' could not be resolved: check Host and this machine's DNS.",
        "无法解析主机名“{0}”：请检查 Host 以及本机的 DNS 设置。",
        host);

    public static Hint ConnectionRefused(string endpoint) => new(
        nameof(ConnectionRefused),
        "Nothing accepts connections at {0}: check Host and Port, and whether a firewall rejects the port.",
        "{0} 上没有服务接受连接：请检查 Host 和 Port，以及防火墙是否拒绝了该端口。",
        endpoint);

    public static Hint ConnectTimeout(string endpoint) => new(
        nameof(ConnectTimeout),
        "No answer from {0} in time: the port may be blocked by the hosting provider or a firewall (many block 25 and 465; try 587 or 2525), or the server is down.",
        "{0} 未在规定时间内应答：该端口可能被主机服务商或防火墙封锁（许多服务商封锁 25 和 465 端口，可尝试 587 或 2525），或者服务器已停止运行。",
        endpoint);

    public static Hint GreetingTimeout(string endpoint) => new(
        nameof(GreetingTimeout),
        "{0} accepted the connection but sent no SMTP greeting: check that Host and Port point to an SMTP server; a firewall or antivirus may hold the port (try 587 or 2525).",
        "{0} 接受了连接，但没有发送 SMTP 问候：请确认 Host 和 Port 指向 SMTP 服务器；防火墙或杀毒软件可能拦截了该端口（可尝试 587 或 2525）。",
        endpoint);

    public static Hint ServerRefusedConnection(string endpoint) => new(
        nameof(ServerRefusedConnection),
        "The server at {0} refused the connection at once: it may not take mail from this machine's IP address; ask its administrator to allow it, or check Host and Port.",
        "{0} 上的服务器立即拒绝了连接：它可能不接受来自本机 IP 地址的邮件；请联系其管理员放行，或检查 Host 和 Port。",
        endpoint);

    public static Hint EhloRefused(string endpoint) => new(
        nameof(EhloRefused),
        "The server at {0} refused the EHLO greeting: set LocalDomain to this machine's fully qualified host name (some servers require one that resolves in DNS).",
        "{0} 上的服务器拒绝了 EHLO：请将 LocalDomain 设为本机的完整域名（部分服务器要求该名称能在 DNS 中解析）。",
        endpoint);

    public static Hint CommandTimeout(string endpoint) => new(
        nameof(CommandTimeout),
        "The server at {0} stopped answering: try again; if it keeps happening, raise Timeout or check the server.",
        "{0} 上的服务器停止了响应：请重试；如果反复出现，请增大 Timeout 或检查服务器。",
        endpoint);

    public static Hint ConnectionLost(string endpoint) => new(
        nameof(ConnectionLost),
        "The connection to {0} was closed unexpectedly: try again; if it keeps happening, check the server's connection and rate limits.",
        "与 {0} 的连接被意外关闭：请重试；如果反复出现，请检查服务器的连接数和发送频率限制。",
        endpoint);

    public static Hint ProxyConnectionRefused(string proxyEndpoint) => new(
        nameof(ProxyConnectionRefused),
        "Nothing accepts connections at the proxy {0}, so the SMTP server was not reached: check Proxy.Host and Proxy.Port, and that the proxy is running.",
        "代理 {0} 上没有服务接受连接，因此未能连接到 SMTP 服务器：请检查 Proxy.Host 和 Proxy.Port，并确认代理正在运行。",
        proxyEndpoint);

    public static Hint ProxyHostNotFound(string proxyHost) => new(
        nameof(ProxyHostNotFound),
        "The proxy host name '{0}' could not be resolved: check Proxy.Host and this machine's DNS.",
        "无法解析代理主机名“{0}”：请检查 Proxy.Host 以及本机的 DNS 设置。",
        proxyHost);

    public static Hint ProxyTimeout(string proxyEndpoint, string endpoint) => new(
        nameof(ProxyTimeout),
        "No answer in time from the proxy {0}, or through it from {1}: check Proxy.Host, Proxy.Port and Proxy.Type, and that the proxy can reach the SMTP server.",
        "代理 {0}（或经由它连接的 {1}）未在规定时间内应答：请检查 Proxy.Host、Proxy.Port 和 Proxy.Type，并确认代理能够访问 SMTP 服务器。",
        proxyEndpoint,
        endpoint);

    public static Hint ProxyConnectionLost(string proxyEndpoint) => new(
        nameof(ProxyConnectionLost),
        "The proxy {0} closed the connection before the tunnel to the SMTP server was open: check Proxy.Type, and that the proxy lets this machine connect.",
        "代理 {0} 在通往 SMTP 服务器的隧道建立之前关闭了连接：请检查 Proxy.Type，并确认代理允许本机连接。",
        proxyEndpoint);

    public static Hint ProxyCredentialsRequired(string proxyEndpoint) => new(
        nameof(ProxyCredentialsRequired),
        "The proxy {0} requires a user name and password: set Proxy.Username and Proxy.Password.",
        "代理 {0} 要求提供用户名和密码：请设置 Proxy.Username 和 Proxy.Password。",
        proxyEndpoint);

    public static Hint ProxyCredentialsRefused(string proxyEndpoint) => new(
        nameof(ProxyCredentialsRefused),
        "The proxy {0} refused the user name or password: check Proxy.Username and Proxy.Password (the proxy's credentials, not the mailbox's Username and Password).",
        "代理 {0} 拒绝了用户名或密码：请检查 Proxy.Username 和 Proxy.Password（这是代理的凭据，不是邮箱的 Username 和 Password）。",
        proxyEndpoint);

    public static Hint ProxyRefusedTarget(string proxyEndpoint, string endpoint) => new(
        nameof(ProxyRefusedTarget),
        "The proxy {0} did not open a connection to the SMTP server {1}: check Host and Port, and that the proxy's rules allow connections to that host and port.",
        "代理 {0} 没有建立到 SMTP 服务器 {1} 的连接：请检查 Host 和 Port，并确认代理的规则允许连接该主机和端口。",
        proxyEndpoint,
        endpoint);

    public static Hint ProxyProtocolMismatch(string proxyEndpoint, string proxyType) => new(
        nameof(ProxyProtocolMismatch),
        "The proxy {0} did not answer in the {1} protocol: check Proxy.Type (Socks5, Socks4, Http or Https) and Proxy.Port.",
        "代理 {0} 没有按 {1} 协议应答：请检查 Proxy.Type（Socks5、Socks4、Http 或 Https）和 Proxy.Port。",
        proxyEndpoint,
        proxyType);

    public static Hint ProxyTlsFailed(string proxyEndpoint) => new(
        nameof(ProxyTlsFailed),
        "The TLS handshake with the proxy {0} failed: if the proxy takes plain HTTP on Proxy.Port, set Proxy.Type to Http; otherwise make this machine trust the proxy's certificate.",
        "与代理 {0} 的 TLS 握手失败：如果该代理在 Proxy.Port 上使用明文 HTTP，请将 Proxy.Type 设为 Http；否则请让本机信任该代理的证书。",
        proxyEndpoint);

    public static Hint SenderRejected(string from) => new(
        nameof(SenderRejected),
        "The server does not let this account send as '{0}': set From to the authenticated mailbox or an address it may send as.",
        "服务器不允许此账号以“{0}”的身份发信：请将 From 设为登录所用的邮箱，或该账号有权使用的地址。",
        from);

    public static Hint RecipientRejected => new(
        nameof(RecipientRejected),
        "The server refused the recipient: check the address; the mailbox may not exist or the server may not relay to it.",
        "服务器拒绝了收件人：请检查地址；该邮箱可能不存在，或服务器不为其中继。");

    public static Hint MessageRejected => new(
        nameof(MessageRejected),
        "The server refused the message: check its size and the provider's content and policy rules.",
        "服务器拒绝了这封邮件：请检查邮件大小以及服务商的内容和策略规则。");

    public static Hint Transient => new(
        nameof(Transient),
        "The server reported a temporary failure: the same mail may succeed if sent again later.",
        "服务器报告了临时故障：稍后重新发送同一封邮件可能会成功。");

    public static Hint InvalidSettings => new(
        nameof(InvalidSettings),
        "Fix the settings named in the error message.",
        "请修正错误信息中列出的设置。");

    public static Hint StoredSecretNotReused(string settings) => new(
        nameof(StoredSecretNotReused),
        "A stored secret is reused only for the server, port and user it was saved for: enter {0} again to test the changed settings.",
        "已保存的密钥只会用于保存时的服务器、端口和用户：要测试更改后的设置，请重新输入 {0}。",
        settings);

    public static Hint UnknownProvider(string knownIds) => new(
        nameof(UnknownProvider),
        "Choose one of: {0}.",
        "请选择以下之一：{0}。",
        knownIds);

    public static Hint Unknown => new(
        nameof(Unknown),
        "See the inner exception for details.",
        "详细信息请参阅内部异常。");

    public static Hint UnknownFailure => new(
        nameof(UnknownFailure),
        "SystemMail does not recognize this failure: the transcript shows the server's exact answer.",
        "SystemMail 无法识别此故障：协议记录中有服务器的原始应答。");

    public static Hint GenerateAccessToken => new(
        nameof(GenerateAccessToken),
        "Click 'Generate access token' in the mail server settings and consent with the sending mailbox.",
        "请在邮件服务器设置中点击“生成访问令牌”，并使用发信邮箱完成授权。");

    public static Hint RegenerateAccessToken => new(
        nameof(RegenerateAccessToken),
        "Click 'Generate access token' again and consent with the sending mailbox. (Google: refresh tokens of apps in 'Testing' publishing status expire after 7 days; publish the app to keep them.)",
        "请再次点击“生成访问令牌”，并使用发信邮箱完成授权。（Google：发布状态为“测试”的应用，其刷新令牌 7 天后失效；发布应用即可保持有效。）");

    public static Hint SaveBeforeGeneratingAccessToken => new(
        nameof(SaveBeforeGeneratingAccessToken),
        "These OAuth2 settings differ from the saved ones, and the tokens belong to the saved settings: save the settings, then click 'Generate access token'.",
        "这些 OAuth2 设置与已保存的不同，而令牌属于已保存的设置：请先保存设置，再点击“生成访问令牌”。");

    public static Hint OAuth2NotConfigured => new(
        nameof(OAuth2NotConfigured),
        "Set Authentication to OAuth2, fill in the client ID and secret, and save the settings first.",
        "请将 Authentication 设为 OAuth2，填写客户端 ID 和客户端密钥，并先保存设置。");

    public static Hint OAuth2ClientNotRegistered => new(
        nameof(OAuth2ClientNotRegistered),
        "Register SystemMail with services.AddSystemMail(...).",
        "请通过 services.AddSystemMail(...) 注册 SystemMail。");

    public static Hint TokenStoreUnavailable(string store) => new(
        nameof(TokenStoreUnavailable),
        "The OAuth2 token store ({0}) is not answering: check the database or cache the host registered for it (AddTokenStore or AddDistributedTokenStore). The tokens are not lost; the mail may succeed if sent again later.",
        "OAuth2 令牌存储（{0}）没有响应：请检查宿主为其注册的数据库或缓存（AddTokenStore 或 AddDistributedTokenStore）。令牌并未丢失，稍后重新发送邮件可能会成功。",
        store);

    public static Hint TokenStoreBusy => new(
        nameof(TokenStoreBusy),
        "Try again.",
        "请重试。");

    public static Hint ClientCredentialsRefused => new(
        nameof(ClientCredentialsRefused),
        "Check the client ID, the client secret and that the app has permission to send mail as this mailbox.",
        "请检查客户端 ID、客户端密钥，以及应用是否有权以该邮箱发信。");

    public static Hint TokenEndpointUnavailable(string host) => new(
        nameof(TokenEndpointUnavailable),
        "The token endpoint at {0} is unavailable; SystemMail keeps the stored tokens and the mail may succeed if sent again later.",
        "{0} 的令牌端点不可用；SystemMail 会保留已存储的令牌，稍后重新发送邮件可能会成功。",
        host);

    public static Hint AuthorizationStateInvalid => new(
        nameof(AuthorizationStateInvalid),
        "Start again with 'Generate access token': the consent page must be opened from the settings page, within a few minutes, and only once.",
        "请重新点击“生成访问令牌”：授权页面必须从设置页面打开，在几分钟内完成，且只能使用一次。");

    public static Hint AuthorizationRefused => new(
        nameof(AuthorizationRefused),
        "Consent was not given at the provider: click 'Generate access token' again and accept the requested permissions with the sending mailbox.",
        "未在服务商处完成授权：请再次点击“生成访问令牌”，并使用发信邮箱接受所请求的权限。");

    public static Hint CodeExchangeFailed => new(
        nameof(CodeExchangeFailed),
        "The provider refused the authorization code: check the client ID, the client secret and that the redirect URI registered at the provider equals the one shown on the settings page.",
        "服务商拒绝了授权码：请检查客户端 ID、客户端密钥，以及在服务商处注册的重定向 URI 是否与设置页面上显示的一致。");

    public static Hint OAuth2TokenRefused => new(
        nameof(OAuth2TokenRefused),
        "The server refused the OAuth2 access token: check that the app has permission to send mail (Google: scope https://mail.google.com/; Office 365: SMTP.Send) and that Username is the mailbox that consented.",
        "服务器拒绝了 OAuth2 访问令牌：请确认应用拥有发信权限（Google：作用域 https://mail.google.com/；Office 365：SMTP.Send），并且 Username 就是完成授权的邮箱。");

    public static Hint Throttled(TimeSpan retryAfter) => new(
        nameof(Throttled),
        "Send again after {0} s, or raise the provider's limit (RateLimit.PermitLimit) if your plan allows more; a longer RateLimit.QueueTimeout lets mails wait instead of failing.",
        "请在 {0} 秒后重新发送；如果您的套餐允许更多，可调高服务商限额（RateLimit.PermitLimit）；延长 RateLimit.QueueTimeout 可让邮件排队等待而不是直接失败。",
        Math.Ceiling(retryAfter.TotalSeconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture));
}
