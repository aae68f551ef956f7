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

    // ----- errors at each field, and one summary announced to screen readers (the settings form's, the templates') -----
    function clearErrors(scope, box) {
        for (const element of scope.querySelectorAll('.sm-error')) { element.remove(); }
        for (const element of scope.querySelectorAll('[aria-invalid=true]')) {
            element.removeAttribute('aria-invalid');
            element.setAttribute('aria-describedby', (element.getAttribute('aria-describedby') ?? '').split(' ').filter(id => id && !id.endsWith('-error')).join(' '));
        }
        box.hidden = true;
        box.textContent = '';
    }

    function label(id) {
        const element = document.querySelector(`label[for="${id}"]`);
        return element ? element.textContent : id;
    }

    // Each error { id, name, text } sits at its control when that is shown (else in the summary alone, after its name);
    // the summary counts them under its heading (a format of the count), the fallback when there are none.
    function showErrors(scope, box, heading, errors, fallback) {
        clearErrors(scope, box);
        const summary = [];
        let first = null;
        for (const { id, name, text } of errors) {
            const control = id ? $(id) : null;
            if (control && !control.closest('[hidden]')) {
                const error = document.createElement('p');
                error.className = 'sm-error';
                error.id = id + '-error';
                error.textContent = text;
                (control.closest('.sm-inline') ?? control).insertAdjacentElement('afterend', error);
                control.setAttribute('aria-invalid', 'true');
                control.setAttribute('aria-describedby', ((control.getAttribute('aria-describedby') ?? '') + ' ' + error.id).trim());
                summary.push(`${label(id)}: ${text}`);
                first ??= control;
            } else {
                summary.push(name ? `${name}: ${text}` : text);
            }
        }
        if (summary.length === 0 && fallback) { summary.push(fallback); }
        const title = document.createElement('strong');
        title.textContent = format(heading, summary.length);
        const list = document.createElement('ul');
        for (const line of summary) { const item = document.createElement('li'); item.textContent = line; list.append(item); }
        box.replaceChildren(title, list);
        box.hidden = false;
        first?.focus();
    }

    // A status line beside its buttons: help-coloured, or good or bad when told.
    function say(id, text, good) {
        $(id).textContent = text ?? '';
        $(id).className = good === undefined ? 'sm-help' : good ? 'sm-good' : 'sm-bad';
    }

    const problemText = body => (body && (body.detail || body.title)) || T.failed;

    window.SystemMailPage = { $, T, format, api, fields, value, number, request, notice, clearErrors, label, showErrors, say, problemText };
})();
