// The packaged "Mail server" page, part 1 of 3: what the form and the test pop-up share. Classic scripts, run in
// order (common.js, form.js, test-dialog.js); no inline script or style, so a strict Content-Security-Policy holds.
// Every text comes from the strings the server embedded in the request's language.
(() => {
    'use strict';
    const $ = id => document.getElementById(id);
    const T = JSON.parse($('sm-strings').textContent);
    const format = (text, ...values) => text.replace(/\{(\d+)\}/g, (_, i) => values[Number(i)] ?? '');
    const api = document.body.dataset.api;

    // The JSON path of each field in the admin endpoints' errors, and the control that shows it.
    const fields = {
        'from': 'from', 'provider': 'provider', 'host': 'host', 'port': 'port', 'security': 'security',
        'minimumTlsVersion': 'tls-version', 'timeoutSeconds': 'timeout', 'authentication': 'authentication',
        'username': 'username', 'password': 'password',
        'oauth2.clientId': 'client-id', 'oauth2.clientSecret': 'client-secret', 'oauth2.tenantId': 'tenant-id',
        'oauth2.authorizationEndpoint': 'authorization-endpoint', 'oauth2.tokenEndpoint': 'token-endpoint',
        'oauth2.scopes': 'scopes', 'oauth2.redirectUri': 'public-base-url',
        'proxy': 'proxy-type', 'proxy.type': 'proxy-type', 'proxy.host': 'proxy-host', 'proxy.port': 'proxy-port',
        'proxy.username': 'proxy-username', 'proxy.password': 'proxy-password'
    };


    const value = id => $(id).value.trim();
    const number = id => $(id).value === '' ? null : Number($(id).value);

    async function request(method, path, body, signal) {
        const response = await fetch(api + path, {
            method, signal, credentials: 'same-origin',
            headers: body === undefined ? { 'Accept': 'application/json' } : { 'Accept': 'application/json', 'Content-Type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body)
        });
        const text = await response.text();
        let parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch { parsed = { title: text }; }
        if (response.status === 401 || response.status === 403) { notice(T.signedOut, true); }
        return { status: response.status, ok: response.ok, body: parsed };
    }

    function notice(text, bad) {
        const n = $('notice');
        n.textContent = text ?? '';
        n.className = 'sm-notice' + (bad ? ' sm-bad' : '');
        n.hidden = !text;
    }

    // ----- errors at each field, and one summary announced to screen readers -----
    function clearErrors() {
        for (const element of document.querySelectorAll('.sm-error[data-for]')) { element.remove(); }
        for (const element of document.querySelectorAll('[aria-invalid=true]')) {
            element.removeAttribute('aria-invalid');
            element.setAttribute('aria-describedby', (element.getAttribute('aria-describedby') ?? '').split(' ').filter(id => !id.endsWith('-error')).join(' '));
        }
        $('errors-summary').hidden = true;
        $('errors-summary').textContent = '';
    }

    function label(id) {
        const element = document.querySelector(`label[for="${id}"]`);
        return element ? element.textContent : id;
    }

    function showErrors(errors, fallback) {
        clearErrors();
        const summary = [];
        let first = null;
        for (const [key, messages] of Object.entries(errors ?? {})) {
            const text = messages.join(' ');
            const id = fields[key] ?? fields[key.split('.')[0]];
            const control = id ? $(id) : null;
            if (control && !control.closest('[hidden]')) {
                const error = document.createElement('p');
                error.className = 'sm-error';
                error.id = id + '-error';
                error.dataset.for = id;
                error.textContent = text;
                (control.closest('.sm-inline') ?? control).insertAdjacentElement('afterend', error);
                control.setAttribute('aria-invalid', 'true');
                control.setAttribute('aria-describedby', ((control.getAttribute('aria-describedby') ?? '') + ' ' + error.id).trim());
                summary.push(`${label(id)}: ${text}`);
                first ??= control;
            } else {
                summary.push(key ? `${key}: ${text}` : text);
            }
        }
        if (summary.length === 0 && fallback) { summary.push(fallback); }
        const box = $('errors-summary');
        const heading = document.createElement('strong');
        heading.textContent = format(T.errorsSummary, summary.length);
        const list = document.createElement('ul');
        for (const line of summary) { const item = document.createElement('li'); item.textContent = line; list.append(item); }
        box.replaceChildren(heading, list);
        box.hidden = false;
        first?.focus();
    }

    const problemText = body => (body && (body.detail || body.title)) || T.failed;

    window.SystemMailPage = { $, T, format, api, fields, value, number, request, notice, clearErrors, label, showErrors, problemText };
})();
