using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace SystemMail.Tests.Infrastructure.OAuth2;

public sealed partial class OAuth2TestServer
{
    private const string WellKnown = ".well-known";
    private const string OpenIdConfiguration = "openid-configuration";

    private static readonly HashSet<string> TenantlessTenants = new(["common", "organizations", "consumers"], StringComparer.OrdinalIgnoreCase);

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _totalRequests);
        var request = context.Request;
        var origin = $"{request.Scheme}://{request.Host}";
        var (endpoint, tenant, issuerPath) = MatchRoute(request.Method, request.Path.Value ?? "/");
        var parameters = await ReadParametersAsync(request, context.RequestAborted);
        string? clientAuthentication = null;

        Reply reply;
        switch (endpoint)
        {
            case OAuth2Endpoint.Authorize:
                Interlocked.Increment(ref _authorizeRequests);
                reply = Authorize(tenant, parameters);
                break;
            case OAuth2Endpoint.Token:
                Interlocked.Increment(ref _tokenRequests);
                _grantCounts.AddOrUpdate(parameters.GetValueOrDefault("grant_type") ?? "", 1, (_, n) => n + 1);
                var delay = TokenEndpointDelay;
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, context.RequestAborted);
                }

                (reply, clientAuthentication) = Token(request, origin, tenant, parameters);
                break;
            case OAuth2Endpoint.Discovery:
                Interlocked.Increment(ref _discoveryRequests);
                reply = new Reply(StatusCodes.Status200OK, Discovery(origin, tenant, DiscoveryIssuer ?? origin + issuerPath));
                break;
            case OAuth2Endpoint.Keys:
                reply = new Reply(StatusCodes.Status200OK, Keys());
                break;
            case OAuth2Endpoint.Introspect:
                Interlocked.Increment(ref _introspectionRequests);
                reply = new Reply(StatusCodes.Status200OK, Introspect(parameters.GetValueOrDefault("token")));
                break;
            default:
                reply = Reply.OAuthError(StatusCodes.Status404NotFound, "not_found", $"Nothing is served at {request.Method} {request.Path}.");
                break;
        }

        // Recorded before the answer leaves, so a client that has its answer always finds its request here.
        _requests.Enqueue(new OAuth2RecordedRequest
        {
            Endpoint = endpoint,
            Method = request.Method,
            PathAndQuery = request.Path + request.QueryString,
            Tenant = tenant,
            Parameters = parameters,
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            ClientAuthentication = clientAuthentication,
            StatusCode = reply.StatusCode,
            Error = reply.Error,
        });

        await reply.WriteAsync(context.Response);
    }

    private static (OAuth2Endpoint Endpoint, string? Tenant, string? IssuerPath) MatchRoute(string method, string path)
    {
        var s = path.Trim('/').Split('/');
        var get = HttpMethods.IsGet(method);
        var post = HttpMethods.IsPost(method);

        return s switch
        {
            [WellKnown, OpenIdConfiguration] when get => (OAuth2Endpoint.Discovery, null, ""),
            [var t, WellKnown, OpenIdConfiguration] when get => (OAuth2Endpoint.Discovery, t, $"/{t}"),
            [var t, "v2.0", WellKnown, OpenIdConfiguration] when get => (OAuth2Endpoint.Discovery, t, $"/{t}/v2.0"),
            ["authorize"] when get => (OAuth2Endpoint.Authorize, null, null),
            [var t, "oauth2", "v2.0", "authorize"] when get => (OAuth2Endpoint.Authorize, t, null),
            ["token"] when post => (OAuth2Endpoint.Token, null, null),
            [var t, "oauth2", "v2.0", "token"] when post => (OAuth2Endpoint.Token, t, null),
            ["keys"] when get => (OAuth2Endpoint.Keys, null, null),
            ["introspect"] when post => (OAuth2Endpoint.Introspect, null, null),
            [var t, "discovery", "v2.0", "keys"] when get => (OAuth2Endpoint.Keys, t, null),
            _ => (OAuth2Endpoint.Unknown, null, null),
        };
    }

    private static async Task<IReadOnlyDictionary<string, string>> ReadParametersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> source = request.HasFormContentType
            ? await request.ReadFormAsync(cancellationToken)
            : request.Query;

        // OAuth2 forbids repeating a parameter; keeping the last value keeps the record simple.
        return source.ToDictionary(p => p.Key, p => p.Value[^1] ?? "", StringComparer.Ordinal);
    }

    // ---- Authorization endpoint (RFC 6749 §4.1.1, RFC 7636 §4.3) -------------------------

    private Reply Authorize(string? tenant, IReadOnlyDictionary<string, string> p)
    {
        // An unknown client or a bad redirect_uri must not be redirected to (RFC 6749 §4.1.2.1).
        if (!p.TryGetValue("client_id", out var clientId) || !_clients.ContainsKey(clientId))
        {
            return Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "Unknown or missing client_id.");
        }

        if (!p.TryGetValue("redirect_uri", out var redirectUri) || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
        {
            return Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "Missing or relative redirect_uri.");
        }

        var state = p.GetValueOrDefault("state");
        Reply Refuse(string error, string? description) => Reply.Redirect(
            QueryHelpers.AddQueryString(redirectUri, Query(("error", error), ("error_description", description), ("state", state))),
            error);

        (string Error, string? Description)? injected;
        lock (_gate)
        {
            injected = _nextAuthorizationError;
            _nextAuthorizationError = null;
        }

        if (injected is { } failure)
        {
            return Refuse(failure.Error, failure.Description);
        }

        if (p.GetValueOrDefault("response_type") != "code")
        {
            return Refuse("unsupported_response_type", "Only response_type=code is supported.");
        }

        var challenge = p.GetValueOrDefault("code_challenge");
        var method = p.GetValueOrDefault("code_challenge_method");
        if (challenge is null)
        {
            if (method is not null)
            {
                return Refuse("invalid_request", "code_challenge_method without code_challenge.");
            }

            if (_requirePkce)
            {
                return Refuse("invalid_request", "PKCE is required: send code_challenge and code_challenge_method=S256.");
            }
        }
        else
        {
            method ??= "plain"; // RFC 7636 §4.3
            if (method is not ("S256" or "plain"))
            {
                return Refuse("invalid_request", $"Unsupported code_challenge_method '{method}'.");
            }
        }

        var code = NewSecret("code");
        lock (_gate)
        {
            _codes[code] = new AuthorizationCodeGrant(
                clientId,
                redirectUri,
                p.GetValueOrDefault("scope") ?? "",
                challenge,
                method,
                p.GetValueOrDefault("nonce"),
                tenant,
                User,
                _time.GetUtcNow() + _codeLifetime);
        }

        return Reply.Redirect(QueryHelpers.AddQueryString(redirectUri, Query(("code", code), ("state", state))), error: null);
    }

    // ---- Token endpoint (RFC 6749 §4.1.3, §4.4, §6; RFC 7636 §4.6) --------------------------

    private (Reply Reply, string? ClientAuthentication) Token(HttpRequest request, string origin, string? tenant, IReadOnlyDictionary<string, string> p)
    {
        if (!request.HasFormContentType)
        {
            return (Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The token request must be application/x-www-form-urlencoded."), null);
        }

        (int StatusCode, string Error)? injected = null;
        lock (_gate)
        {
            if (_tokenFailuresLeft > 0)
            {
                _tokenFailuresLeft--;
                injected = _tokenFailure;
            }
        }

        if (injected is { } failure)
        {
            return (Reply.OAuthError(failure.StatusCode, failure.Error, "Failure injected by the test."), null);
        }

        if (p.GetValueOrDefault("grant_type") == OAuth2GrantTypes.JwtBearer)
        {
            // The assertion's signature authenticates the service account; there is no client secret.
            return (RedeemJwtBearer(origin, $"{origin}{request.Path}", tenant, p), "private_key_jwt");
        }

        var (client, authentication, refusal) = AuthenticateClient(request, p);
        if (refusal is not null)
        {
            return (refusal, authentication);
        }

        var reply = p.GetValueOrDefault("grant_type") switch
        {
            OAuth2GrantTypes.AuthorizationCode => RedeemAuthorizationCode(origin, client!, p),
            OAuth2GrantTypes.RefreshToken => RedeemRefreshToken(origin, client!, p),
            OAuth2GrantTypes.ClientCredentials => IssueTokens(origin, client!, OAuth2GrantTypes.ClientCredentials, p.GetValueOrDefault("scope") ?? "", tenant, user: null, nonce: null, refreshTokenScope: null, clientInfo: false),
            null => Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "Missing grant_type."),
            var other => Reply.OAuthError(StatusCodes.Status400BadRequest, "unsupported_grant_type", $"grant_type '{other}' is not supported."),
        };
        return (reply, authentication);
    }

    private (OAuth2TestClient? Client, string Method, Reply? Refusal) AuthenticateClient(HttpRequest request, IReadOnlyDictionary<string, string> p)
    {
        string? id;
        string? secret;
        string method;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            method = "client_secret_basic";
            if (p.ContainsKey("client_secret"))
            {
                return (null, method, Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "Use one client authentication method, not both Basic and client_secret."));
            }

            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                return (null, method, InvalidClient("Malformed Basic credentials.", basic: true));
            }

            // RFC 6749 §2.3.1: both halves are form-url-encoded before joining.
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            id = colon < 0 ? null : WebUtility.UrlDecode(decoded[..colon]);
            secret = colon < 0 ? null : WebUtility.UrlDecode(decoded[(colon + 1)..]);
            if (p.TryGetValue("client_id", out var bodyId) && bodyId != id)
            {
                return (null, method, Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "client_id in the body differs from the Basic credentials."));
            }
        }
        else
        {
            id = p.GetValueOrDefault("client_id");
            secret = p.GetValueOrDefault("client_secret");
            method = secret is null ? "none" : "client_secret_post";
        }

        if (id is null || !_clients.TryGetValue(id, out var client))
        {
            return (null, method, InvalidClient("Unknown client.", method == "client_secret_basic"));
        }

        if (secret is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(client.ClientSecret)))
        {
            return (null, method, InvalidClient("Client authentication failed.", method == "client_secret_basic"));
        }

        return (client, method, null);
    }

    private static Reply InvalidClient(string description, bool basic) =>
        Reply.OAuthError(StatusCodes.Status401Unauthorized, "invalid_client", description) with
        {
            WwwAuthenticate = basic ? "Basic realm=\"token\"" : null,
        };

    private Reply RedeemAuthorizationCode(string origin, OAuth2TestClient client, IReadOnlyDictionary<string, string> p)
    {
        static Reply InvalidGrant(string description) => Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", description);

        if (!p.TryGetValue("code", out var code))
        {
            return Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "Missing code.");
        }

        AuthorizationCodeGrant? grant;
        lock (_gate)
        {
            // Single use, even when this attempt fails (RFC 6749 §4.1.2).
            _codes.Remove(code, out grant);
        }

        if (grant is null)
        {
            return InvalidGrant("The authorization code is unknown or was already used.");
        }

        if (grant.ExpiresAt <= _time.GetUtcNow())
        {
            return InvalidGrant("The authorization code has expired.");
        }

        if (grant.ClientId != client.ClientId)
        {
            return InvalidGrant("The authorization code was issued to another client.");
        }

        if (p.GetValueOrDefault("redirect_uri") != grant.RedirectUri)
        {
            return InvalidGrant("redirect_uri does not match the one of the authorization request.");
        }

        var verifier = p.GetValueOrDefault("code_verifier");
        if (grant.CodeChallenge is null)
        {
            if (verifier is not null)
            {
                return InvalidGrant("code_verifier sent, but the authorization request had no code_challenge.");
            }
        }
        else
        {
            if (verifier is null)
            {
                return InvalidGrant("code_verifier is required: the authorization request had a code_challenge.");
            }

            var computed = grant.CodeChallengeMethod == "S256" ? Pkce.CreateS256Challenge(verifier) : verifier;
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(grant.CodeChallenge)))
            {
                return InvalidGrant("PKCE verification failed: code_verifier does not match code_challenge.");
            }
        }

        return IssueTokens(
            origin,
            client,
            OAuth2GrantTypes.AuthorizationCode,
            grant.Scope,
            grant.Tenant,
            grant.User,
            grant.Nonce,
            refreshTokenScope: grant.Scope,
            clientInfo: p.GetValueOrDefault("client_info") == "1");
    }

    private Reply RedeemRefreshToken(string origin, OAuth2TestClient client, IReadOnlyDictionary<string, string> p)
    {
        static Reply InvalidGrant(string description) => Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_grant", description);

        if (!p.TryGetValue("refresh_token", out var token))
        {
            return Reply.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "Missing refresh_token.");
        }

        var rotate = RotateRefreshTokens;
        RefreshTokenGrant? grant;
        lock (_gate)
        {
            if (!_refreshTokens.TryGetValue(token, out grant))
            {
                return InvalidGrant("The refresh token is unknown.");
            }

            if (grant.RevokedBecause is { } reason)
            {
                return InvalidGrant($"The refresh token is no longer valid: {reason}.");
            }

            if (grant.ExpiresAt <= _time.GetUtcNow())
            {
                return InvalidGrant("The refresh token has expired.");
            }

            if (grant.ClientId != client.ClientId)
            {
                return InvalidGrant("The refresh token was issued to another client.");
            }

            if (rotate)
            {
                grant.RevokedBecause = "it was rotated (a newer refresh token replaced it)";
            }
        }

        // A narrower scope may be asked for; without one the original grant's scope applies.
        var scope = p.GetValueOrDefault("scope") is { Length: > 0 } asked ? asked : grant.Scope;
        return IssueTokens(
            origin,
            client,
            OAuth2GrantTypes.RefreshToken,
            scope,
            grant.Tenant,
            grant.User,
            nonce: null,
            refreshTokenScope: rotate ? grant.Scope : null,
            clientInfo: p.GetValueOrDefault("client_info") == "1");
    }

    private Reply IssueTokens(
        string origin,
        OAuth2TestClient client,
        string grantType,
        string scope,
        string? tenant,
        OAuth2TestUser? user,
        string? nonce,
        string? refreshTokenScope,
        bool clientInfo)
    {
        var now = _time.GetUtcNow();
        var lifetime = (long)AccessTokenLifetime.TotalSeconds;
        var accessToken = NewSecret("at");
        var refreshToken = refreshTokenScope is null ? null : NewSecret("rt");
        var refreshExpiresAt = _refreshTokenLifetime is { } refreshLifetime ? now + refreshLifetime : (DateTimeOffset?)null;

        lock (_gate)
        {
            _accessTokens[accessToken] = new OAuth2IssuedAccessToken(accessToken, client.ClientId, user?.Username, scope, grantType, now.AddSeconds(lifetime));
            if (refreshToken is not null)
            {
                _refreshTokens[refreshToken] = new RefreshTokenGrant(client.ClientId, refreshTokenScope!, tenant, user!, refreshExpiresAt);
            }
        }

        var body = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = scope,
            ["expires_in"] = lifetime,
            ["ext_expires_in"] = lifetime,
            ["access_token"] = accessToken,
        };

        if (refreshToken is not null)
        {
            body["refresh_token"] = refreshToken;
            if (_refreshTokenLifetime is { } refreshLifetime2)
            {
                body["refresh_token_expires_in"] = (long)refreshLifetime2.TotalSeconds;
            }
        }

        if (user is not null && scope.Split(' ').Contains("openid", StringComparer.Ordinal))
        {
            body["id_token"] = CreateIdToken(origin, client.ClientId, tenant, user, nonce, now);
        }

        if (user is not null && clientInfo)
        {
            // MSAL keys its accounts on client_info = base64url({"uid": object id, "utid": home tenant}).
            body["client_info"] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject { ["uid"] = user.ObjectId, ["utid"] = user.TenantId }.ToJsonString()));
        }

        return new Reply(StatusCodes.Status200OK, body);
    }

    private string CreateIdToken(string origin, string clientId, string? tenant, OAuth2TestUser user, string? nonce, DateTimeOffset now)
    {
        var tid = tenant is null || TenantlessTenants.Contains(tenant) ? user.TenantId : tenant;
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = _signingKeyId };
        var payload = new JsonObject
        {
            ["iss"] = tenant is null ? origin : $"{origin}/{tid}/v2.0",
            ["aud"] = clientId,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
            ["sub"] = user.Subject,
            ["oid"] = user.ObjectId,
            ["tid"] = tid,
            ["name"] = user.Name,
            ["preferred_username"] = user.Username,
            ["email"] = user.Username,
            ["ver"] = "2.0",
        };
        if (nonce is not null)
        {
            payload["nonce"] = nonce;
        }

        var signingInput = $"{Encode(header)}.{Encode(payload)}";
        var signature = _signingKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256); // IEEE P1363, as JWS wants
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";

        static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    // ---- Metadata --------------------------------------------------------------------------

    private static JsonObject Discovery(string origin, string? tenant, string issuer)
    {
        var endpoints = tenant is null ? origin : $"{origin}/{tenant}/oauth2/v2.0";
        return new JsonObject
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = $"{endpoints}/authorize",
            ["token_endpoint"] = $"{endpoints}/token",
            ["jwks_uri"] = tenant is null ? $"{origin}/keys" : $"{origin}/{tenant}/discovery/v2.0/keys",
            ["response_types_supported"] = new JsonArray("code"),
            ["response_modes_supported"] = new JsonArray("query"),
            ["grant_types_supported"] = new JsonArray(OAuth2GrantTypes.AuthorizationCode, OAuth2GrantTypes.RefreshToken, OAuth2GrantTypes.ClientCredentials),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("ES256"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "client_secret_basic"),
            ["code_challenge_methods_supported"] = new JsonArray("S256", "plain"),
            ["claims_supported"] = new JsonArray("sub", "iss", "aud", "exp", "iat", "nonce", "oid", "tid", "name", "preferred_username", "email"),
        };
    }

    private JsonObject Keys()
    {
        var key = _signingKey.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = "P-256",
                ["use"] = "sig",
                ["alg"] = "ES256",
                ["kid"] = _signingKeyId,
                ["x"] = Base64Url.EncodeToString(key.Q.X),
                ["y"] = Base64Url.EncodeToString(key.Q.Y),
            }),
        };
    }

    private static string NewSecret(string prefix) => $"{prefix}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24))}";

    private static IEnumerable<KeyValuePair<string, string?>> Query(params (string Key, string? Value)[] pairs) =>
        pairs.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value));

    /// <summary>RFC 7662: whether the token is an unexpired, unrevoked access token this server issued, and for whom.</summary>
    private JsonObject Introspect(string? token)
    {
        if (token is null || !TryGetValidAccessToken(token, out var issued))
        {
            return new JsonObject { ["active"] = false };
        }

        var answer = new JsonObject { ["active"] = true, ["client_id"] = issued.ClientId, ["scope"] = issued.Scope, ["token_type"] = "Bearer" };
        if (issued.Username is { } username)
        {
            answer["username"] = username;
        }

        answer["exp"] = issued.ExpiresAt.ToUnixTimeSeconds();
        return answer;
    }

    private sealed record Reply(int StatusCode, JsonObject? Body = null, string? Location = null, string? Error = null)
    {
        public string? WwwAuthenticate { get; init; }

        public static Reply OAuthError(int statusCode, string error, string description) =>
            new(statusCode, new JsonObject { ["error"] = error, ["error_description"] = description }, Error: error);

        public static Reply Redirect(string location, string? error) => new(StatusCodes.Status302Found, Location: location, Error: error);

        public async Task WriteAsync(HttpResponse response)
        {
            response.StatusCode = StatusCode;
            response.Headers.CacheControl = "no-store";
            response.Headers.Pragma = "no-cache";
            if (Location is not null)
            {
                response.Headers.Location = Location;
            }

            if (WwwAuthenticate is not null)
            {
                response.Headers.WWWAuthenticate = WwwAuthenticate;
            }

            if (Body is not null)
            {
                response.ContentType = "application/json; charset=utf-8";
                await response.WriteAsync(Body.ToJsonString());
            }
        }
    }
}
