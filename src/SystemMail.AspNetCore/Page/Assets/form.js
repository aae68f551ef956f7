// The packaged "Mail server" page, part 2 of 3: the settings form. Provider templates, the fields per
// authentication and proxy, the redirect URI, whether the form changed, saved secrets, the OAuth2 token, saving.
(() => {
    'use strict';
    const { $, T, format, api, fields, value, number, request, notice, clearErrors, showErrors, say, problemText } = window.SystemMailPage;

    // The admin endpoints' errors by JSON path, at the form's fields.
    const formErrors = (errors, fallback) => showErrors($('mail-form'), $('errors-summary'), T.errorsSummary,
        Object.entries(errors).map(([key, messages]) => ({ id: fields[key] ?? fields[key.split('.')[0]], name: key, text: messages.join(' ') })), fallback);

    let providers = [];
    let saved = null;        // the settings as last loaded or saved
    let baseline = '';       // the form as last loaded or saved, to know whether it changed
    let previousProvider = null;

    const provider = () => providers.find(p => p.id === $('provider').value) ?? providers[0];

    // ----- provider templates -----
    function applyProvider(fromUser) {
        const p = provider();
        const before = providers.find(x => x.id === previousProvider);
        const locked = !p.allowsCustomConnection;
        for (const id of ['host', 'port', 'security', 'tls-version']) { $(id).disabled = locked; }
        if (locked) {
            $('host').value = p.host ?? '';
            $('port').value = p.port ?? '';
            $('security').value = p.security ?? 'StartTls';
            $('tls-version').value = p.minimumTlsVersion ?? 'Tls12';
        } else if (fromUser && before && !before.allowsCustomConnection) {
            // Custom starts from a blank server, not from the template's (which it would silently keep).
            $('host').value = '';
            $('port').value = '';
            $('security').value = 'StartTls';
            $('tls-version').value = 'Tls12';
        }

        // Microsoft Graph sends over HTTPS with an OAuth2 token: no SMTP server, port, TLS or proxy to set, and the
        // app registration needs the Mail.Send permission.
        const graph = p.transport === 'MicrosoftGraph';
        $('connection').hidden = graph;
        $('proxy-fields').hidden = graph;
        $('graph-permission').hidden = !graph;
        if (graph) { $('proxy-type').value = ''; }

        const hint = $('provider-hint');
        hint.textContent = locked ? format(T.providerLocked, p.displayName) : T.providerCustom;
        if (p.helpLink && /^https?:/i.test(p.helpLink)) {
            const link = document.createElement('a');
            link.href = p.helpLink;
            link.target = '_blank';
            link.rel = 'noopener noreferrer';
            link.textContent = T.providerHelp;
            hint.append(' ', link);
        }

        if (fromUser && before?.fixedUsername && $('username').value === before.fixedUsername) { $('username').value = ''; }
        $('username').readOnly = !!p.fixedUsername;
        if (p.fixedUsername) { $('username').value = p.fixedUsername; }

        const current = $('authentication').value;
        $('authentication').replaceChildren(...p.supportedAuthentication.map(a => new Option(T['authentication' + a] ?? a, a)));
        $('authentication').value = p.supportedAuthentication.includes(current) ? current : p.supportedAuthentication[0];
        previousProvider = p.id;
        applyAuthentication();
    }

    function applyAuthentication() {
        const p = provider();
        const auth = $('authentication').value;
        $('credentials').hidden = auth === 'None';
        $('basic-fields').hidden = auth !== 'Basic';
        $('oauth2-fields').hidden = auth !== 'OAuth2';
        $('tenant-field').hidden = !(p.oauth2 && p.oauth2.requiresTenant);
        $('custom-oauth2-fields').hidden = !!p.oauth2;
        $('proxy-details').hidden = $('proxy-type').value === '';
        updateRedirectUri();
    }

    // ----- the redirect URI: the configured one, else the public base URL the administrator chose -----
    function composedRedirectUri() {
        if (saved?.oauth2.redirectUriConfigured) { return saved.oauth2.redirectUri ?? ''; }
        const base = value('public-base-url').replace(/\/+$/, '');
        return base ? base + (saved?.oauth2.callbackPath ?? '') : '';
    }

    function updateRedirectUri() {
        $('public-base-url-field').hidden = !!saved?.oauth2.redirectUriConfigured;
        $('redirect-uri').value = composedRedirectUri();
    }

    // ----- the form as JSON, and whether it changed -----
    function form() {
        const p = provider();
        const auth = $('authentication').value;
        const proxyType = $('proxy-type').value;
        return {
            version: saved?.version ?? null,
            from: value('from'), provider: p.id,
            host: value('host'), port: number('port'), security: $('security').value, minimumTlsVersion: $('tls-version').value,
            timeoutSeconds: number('timeout'), authentication: auth,
            username: auth === 'None' ? '' : value('username'),
            password: auth === 'Basic' ? $('password').value : '',
            oauth2: auth !== 'OAuth2' ? null : {
                clientId: value('client-id'), clientSecret: $('client-secret').value, tenantId: p.oauth2?.requiresTenant ? value('tenant-id') : '',
                authorizationEndpoint: p.oauth2 ? '' : value('authorization-endpoint'), tokenEndpoint: p.oauth2 ? '' : value('token-endpoint'),
                scopes: p.oauth2 ? [] : value('scopes').split(/\s+/).filter(s => s),
                redirectUri: saved?.oauth2.redirectUriConfigured ? null : composedRedirectUri() || null
            },
            proxy: proxyType === '' ? null : {
                type: proxyType, host: value('proxy-host'), port: number('proxy-port'),
                username: value('proxy-username'), password: $('proxy-password').value
            }
        };
    }

    const comparable = f => JSON.stringify({ ...f, version: undefined });
    const isDirty = () => saved !== null && comparable(form()) !== baseline;

    // What a stored secret is bound to (SmtpDestination): change any of it and the secret must be typed again.
    const destination = f => JSON.stringify([f.provider, f.provider === 'custom' || providers.find(p => p.id === f.provider)?.allowsCustomConnection ? [f.host.toLowerCase(), f.port, f.security] : null,
        f.authentication, f.username.toLowerCase(), f.proxy ? [f.proxy.type, f.proxy.host.toLowerCase(), f.proxy.port, f.proxy.username] : null]);
    const client = f => JSON.stringify(f.oauth2 ? [f.oauth2.clientId, f.oauth2.tenantId, f.oauth2.authorizationEndpoint, f.oauth2.tokenEndpoint, [...f.oauth2.scopes].sort(), f.oauth2.redirectUri] : null);
    let savedForm = null;

    function secretHint(inputId, helpId, isSet, sameDestination) {
        const input = $(inputId), help = $(helpId);
        if (!isSet) {
            input.placeholder = '';
            help.hidden = true;
            input.required = false;
            return;
        }
        if (sameDestination || input.value !== '') {
            input.placeholder = T.secretSaved;
            help.textContent = T.secretSavedHelp;
            help.className = 'sm-help';
            input.required = false;
        } else {
            input.placeholder = T.secretRequired;
            help.textContent = T.secretDestinationChanged;
            help.className = 'sm-help sm-warning';
            input.required = true;
        }
        help.hidden = false;
    }

    function update() {
        const f = form();
        const dirty = isDirty();
        $('save').disabled = !dirty;
        if (dirty) { $('save-result').textContent = ''; }
        if (!saved || !savedForm) { return; }
        const sameDestination = destination(f) === destination(savedForm);
        secretHint('password', 'password-saved', saved.passwordSet, sameDestination);
        secretHint('client-secret', 'client-secret-saved', saved.oauth2.clientSecretSet, sameDestination && client(f) === client(savedForm));
        secretHint('proxy-password', 'proxy-password-saved', !!saved.proxy?.passwordSet, sameDestination);
        showTokenStatus();
    }

    // ----- loading -----
    function fill(s) {
        saved = s;
        $('from').value = s.from ?? '';
        $('provider').value = s.provider;
        previousProvider = s.provider;
        $('authentication').value = s.authentication;
        applyProvider(false);
        $('authentication').value = s.authentication;
        if (s.host !== undefined || provider().allowsCustomConnection) {
            $('host').value = s.host ?? '';
            $('port').value = s.port ?? '';
            $('security').value = s.security ?? 'StartTls';
            $('tls-version').value = s.minimumTlsVersion ?? 'Tls12';
        }
        $('timeout').value = s.timeoutSeconds ?? '';
        $('username').value = s.username ?? '';
        $('password').value = '';
        $('client-id').value = s.oauth2.clientId ?? '';
        $('client-secret').value = '';
        $('tenant-id').value = s.oauth2.tenantId ?? '';
        $('authorization-endpoint').value = s.oauth2.authorizationEndpoint ?? '';
        $('token-endpoint').value = s.oauth2.tokenEndpoint ?? '';
        $('scopes').value = (s.oauth2.scopes ?? []).join(' ');
        const callback = s.oauth2.callbackPath ?? '';
        const redirect = s.oauth2.redirectUri ?? '';
        $('public-base-url').value = redirect && callback && redirect.endsWith(callback) ? redirect.slice(0, redirect.length - callback.length) : location.origin;
        $('proxy-type').value = s.proxy?.type ?? '';
        $('proxy-host').value = s.proxy?.host ?? '';
        $('proxy-port').value = s.proxy?.port ?? '';
        $('proxy-username').value = s.proxy?.username ?? '';
        $('proxy-password').value = '';
        applyAuthentication();
        savedForm = form();
        baseline = comparable(savedForm);
        if (s.savedSettingsError) { notice(format(T.savedSettingsUnreadable, s.savedSettingsError), true); }
        update();
    }

    // ----- OAuth2 token status -----
    let tokenState = null;

    function showTokenStatus() {
        const status = $('token-status'), detail = $('token-detail');
        if ($('authentication').value !== 'OAuth2') { return; }
        const unsaved = saved?.authentication !== 'OAuth2' || !savedForm || destination(form()) !== destination(savedForm) || client(form()) !== client(savedForm);
        if (unsaved) {
            status.textContent = T.tokenNotGenerated;
            status.className = 'sm-bad';
            detail.textContent = T.tokenSaveFirst;
            return;
        }
        if (!tokenState) { status.textContent = '…'; detail.textContent = ''; return; }
        const names = { Generated: T.tokenGenerated, MustRegenerate: T.tokenMustRegenerate, NotGenerated: T.tokenNotGenerated };
        status.textContent = names[tokenState.state] ?? tokenState.state;
        status.className = tokenState.state === 'Generated' ? 'sm-good' : 'sm-bad';
        detail.textContent = tokenState.state === 'Generated' && tokenState.accessTokenExpiresAt
            ? format(T.tokenExpires, new Date(tokenState.accessTokenExpiresAt).toLocaleString(document.documentElement.lang))
            : (tokenState.reason ?? '');
    }

    async function refreshStatus() {
        tokenState = null;
        if (saved?.authentication === 'OAuth2') {
            const { ok, body } = await request('GET', '/oauth2/status');
            tokenState = ok ? body : { state: 'NotGenerated', reason: problemText(body) };
        }
        showTokenStatus();
    }

    // ----- saving -----
    async function save() {
        $('save').disabled = true;
        say('save-result', T.saving);
        const { status, body } = await request('PUT', '/settings', form());
        if (status === 200) {
            clearErrors($('mail-form'), $('errors-summary'));
            fill(body);
            say('save-result', T.saved, true);
            notice(body.tokensDiscarded ? T.tokensDiscarded : '', false);
            await refreshStatus();
            return true;
        }
        say('save-result', T.notSaved, false);
        if (status === 400 && body?.errors) {
            formErrors(body.errors);
        } else if (status === 409) {
            formErrors({}, T.conflict);
        } else {
            formErrors({}, problemText(body));
        }
        update();
        return false;
    }

    // ----- wiring -----
    $('mail-form').addEventListener('input', update);
    $('mail-form').addEventListener('change', update);
    $('mail-form').addEventListener('submit', event => { event.preventDefault(); if (isDirty()) { save(); } });
    $('provider').addEventListener('change', () => { applyProvider(true); update(); });
    $('authentication').addEventListener('change', () => { applyAuthentication(); update(); });
    $('proxy-type').addEventListener('change', () => { applyAuthentication(); update(); });
    $('public-base-url').addEventListener('input', updateRedirectUri);

    $('copy-redirect-uri').addEventListener('click', async () => {
        const text = $('redirect-uri').value;
        try {
            await navigator.clipboard.writeText(text);
            $('copy-result').textContent = T.copied;
        } catch {
            $('redirect-uri').select();
            $('copy-result').textContent = T.copyManually;
        }
    });

    $('generate-token').addEventListener('click', () => {
        if (isDirty() || saved?.authentication !== 'OAuth2') {
            $('save-first-dialog').showModal();
            return;
        }
        location.assign(api + '/oauth2/authorize');
    });
    $('save-first-cancel').addEventListener('click', () => $('save-first-dialog').close());
    $('save-first-confirm').addEventListener('click', async () => {
        $('save-first-dialog').close();
        if (await save() && saved?.authentication === 'OAuth2') {
            location.assign(api + '/oauth2/authorize');
        }
    });

    window.addEventListener('beforeunload', event => {
        if (isDirty()) { event.preventDefault(); event.returnValue = ''; }
    });

    (async () => {
        const query = new URLSearchParams(location.search);
        if (query.get('oauth2') === 'generated') { notice(T.tokenWasGenerated, false); }
        if (query.get('oauth2') === 'failed') { notice(format(T.tokenFailed, query.get('message') ?? ''), true); }
        if (query.has('oauth2')) { history.replaceState(null, '', location.pathname); }

        const loaded = await request('GET', '/providers');
        if (!loaded.ok) { notice(problemText(loaded.body), true); return; }
        providers = loaded.body;
        $('provider').replaceChildren(...providers.map(p => new Option(p.id === 'custom' ? T.providerCustomName : p.displayName, p.id)));
        const settings = await request('GET', '/settings');
        if (!settings.ok) { notice(problemText(settings.body), true); return; }
        fill(settings.body);
        await refreshStatus();
        document.body.dataset.ready = 'true';
    })();

    window.SystemMailPage.form = form;
})();
