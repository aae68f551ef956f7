// The packaged "Mail server" page: the "Outbox" section, shown only when the host registered the outbox (the page
// says so in data-outbox; its endpoints are mapped then). The queued mails by status; a dead-lettered mail retried, a pending or dead-lettered one cancelled.
(() => {
    'use strict';
    const { $, T, format, request, say, problemText } = window.SystemMailPage;
    const when = value => value ? new Date(value).toLocaleString(document.documentElement.lang) : '';

    // Each cell names its column (shown before it when the narrow layout stacks a row's cells).
    function cell(text, column) {
        const td = document.createElement('td');
        td.textContent = text ?? '';
        td.dataset.column = column;
        return td;
    }

    function action(text, mail, verb) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = text;
        button.dataset.action = verb;
        button.setAttribute('aria-label', `${text}: ${T['kind' + mail.kind] ?? mail.kind} ${when(mail.queuedAt)}`);
        button.addEventListener('click', async () => {
            button.disabled = true;
            const { status, body } = await request('POST', `/outbox/${encodeURIComponent(mail.id)}/${verb}`, {});
            await list();
            say('outbox-result', status === 204 ? (verb === 'retry' ? T.outboxRetried : T.outboxCancelledDone) : problemText(body), status === 204);
        });
        return button;
    }

    async function list() {
        const { ok, status, body } = await request('GET', `/outbox?status=${encodeURIComponent($('outbox-status').value)}`);
        if (status === 404) { return false; }
        if (!ok) { say('outbox-result', problemText(body), false); return true; }
        const rows = body.map(mail => {
            const tr = document.createElement('tr');
            tr.dataset.id = mail.id;
            // The kind and reply code, then the hint in the page's language as the server wrote it for this request (its id in an attribute); one box, so the narrow layout keeps it in one grid cell.
            const error = cell('', T.outboxLastError);
            if (mail.lastErrorKind) {
                const box = document.createElement('div');
                box.className = 'sm-outbox-error';
                box.textContent = [T['errorKind' + mail.lastErrorKind] ?? mail.lastErrorKind, mail.lastStatusCode].filter(x => x !== undefined && x !== null).join(' · ');
                if (mail.lastHint || mail.lastHintId) {
                    const hint = document.createElement('small');
                    hint.className = 'sm-outbox-hint';
                    hint.textContent = mail.lastHint ?? mail.lastHintId;
                    if (mail.lastHintId) { hint.dataset.hintId = mail.lastHintId; }
                    box.append(hint);
                }
                error.append(box);
            }
            const actions = cell('', T.outboxActions);
            const buttons = document.createElement('div');
            buttons.className = 'sm-actions';
            if (mail.status === 'DeadLettered') { buttons.append(action(T.outboxRetry, mail, 'retry')); }
            if (mail.status === 'Pending' || mail.status === 'DeadLettered') { buttons.append(action(T.cancel, mail, 'cancel')); }
            actions.append(buttons);
            tr.append(cell(T['kind' + mail.kind] ?? mail.kind, T.outboxKind), cell(when(mail.queuedAt), T.outboxQueued),
                cell(String(mail.attempts ?? 0), T.outboxAttempts), error, actions);
            return tr;
        });
        $('outbox-rows').replaceChildren(...rows);
        say('outbox-result', rows.length === 0 ? T.outboxEmpty : format(T.outboxCount, rows.length));
        return true;
    }

    $('outbox-status').addEventListener('change', list);
    $('outbox-refresh').addEventListener('click', list);

    (async () => {
        $('outbox-section').hidden = document.body.dataset.outbox !== 'true' || !await list();
        document.body.dataset.outboxReady = 'true';
    })();
})();
