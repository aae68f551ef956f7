// The packaged "Mail server" page, part 3 of 3: the "Send test email" pop-up, with progress while it waits and the
// report (failing stage, error, hint, server reply, stages and redacted transcript). It tests the form's values.
(() => {
    'use strict';
    const { $, T, format, fields, value, request, label, say, problemText } = window.SystemMailPage;

    const stage = name => T['stage' + name] ?? name;
    const milliseconds = duration => {
        if (!duration) { return ''; }
        const [h, m, s] = duration.split(':');
        return `${Math.round((Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000)} ms`;
    };

    function serverLine(report) {
        const address = report.host ? (report.port ? `${report.host}:${report.port}` : report.host) : T.serverNotSet;
        const parts = [report.provider, report.security && (T['security' + report.security] ?? report.security), report.authentication && (T['authentication' + report.authentication] ?? report.authentication)]
            .filter(part => part);
        return parts.length > 0 ? `${address} (${parts.join(', ')})` : address;
    }

    let testAbort = null;

    function showTestPanel(panel) {
        $('test-ask').hidden = panel !== 'ask';
        $('test-progress').hidden = panel !== 'progress';
        $('test-report').hidden = panel !== 'report';
        $('test-dialog').setAttribute('aria-busy', panel === 'progress' ? 'true' : 'false');
    }

    function reportTest(status, body) {
        const details = $('test-details');
        details.replaceChildren();
        const add = (name, text, id) => {
            if (text === null || text === undefined || text === '') { return; }
            const dt = document.createElement('dt'); dt.textContent = name;
            const dd = document.createElement('dd'); dd.textContent = text;
            if (id) { dd.id = id; }
            details.append(dt, dd);
        };
        $('test-steps').replaceChildren();
        $('test-transcript').textContent = '';
        $('test-log').hidden = true;
        if (status !== 200) {
            say('test-outcome', T.testCouldNotRun, false);
            const errors = body?.errors ? Object.entries(body.errors).map(([k, v]) => `${fields[k] ? label(fields[k]) : k}: ${v.join(' ')}`).join('\n') : problemText(body);
            add(T.problems, errors, 'test-errors');
            return;
        }

        if (body.succeeded) {
            say('test-outcome', format(T.testSent, body.recipient ?? value('test-to')), true);
            add(T.server, serverLine(body), 'test-server');
            add('Message-Id', body.messageId);
            if (body.tls) { add('TLS', `${body.tls.protocol ?? ''} ${body.tls.cipherSuite ?? ''}`.trim()); }
            add(T.authenticationMechanism, body.authenticationMechanism);
        } else {
            say('test-outcome', T.testFailed, false);
            add(T.failedAt, stage(body.failedStage), 'test-stage');
            const settingsStep = (body.steps ?? []).find(s => s.stage === 'Settings' && s.outcome === 'Failed');
            add(T.error, body.error || settingsStep?.detail || T.settingsInvalid, 'test-message');
            add(T.whatToDo, body.hint, 'test-hint');
            if (body.serverReply) {
                add(T.serverReply, `${body.serverReply.statusCode} ${body.serverReply.enhancedStatusCode ?? ''} ${body.serverReply.text ?? ''}`.replace(/\s+/g, ' ').trim());
            }
            add(T.server, serverLine(body), 'test-server');
        }

        for (const step of body.steps ?? []) {
            const row = document.createElement('tr');
            const detail = step.detail ?? (step.reply ? `${step.reply.statusCode} ${step.reply.text ?? ''}` : '');
            for (const text of [stage(step.stage), T['outcome' + step.outcome] ?? step.outcome, milliseconds(step.duration), detail]) {
                const cell = document.createElement('td');
                cell.textContent = text ?? '';
                row.append(cell);
            }
            if (step.outcome === 'Failed') { row.className = 'sm-failed'; }
            $('test-steps').append(row);
        }
        $('test-transcript').textContent = body.transcript || T.noTranscript;
        $('test-log').hidden = (body.steps ?? []).length === 0 && !body.transcript;
    }

    async function sendTest() {
        const to = value('test-to');
        if (!to || !$('test-to').checkValidity()) {
            $('test-to').setAttribute('aria-invalid', 'true');
            $('test-to-help').textContent = T.testToInvalid;
            $('test-to').focus();
            return;
        }
        $('test-to').removeAttribute('aria-invalid');
        $('test-to-help').textContent = T.testHelp;
        showTestPanel('progress');
        const started = Date.now();
        const tick = () => { $('test-progress-text').textContent = format(T.testing, Math.floor((Date.now() - started) / 1000)); };
        tick();
        const timer = setInterval(tick, 1000);
        testAbort = new AbortController();
        $('test-abort').focus();
        try {
            const { status, body } = await request('POST', '/test-mail', { to, settings: window.SystemMailPage.form() }, testAbort.signal);
            reportTest(status, body);
        } catch (error) {
            reportTest(0, { title: error?.name === 'AbortError' ? T.testStopped : T.failed });
        } finally {
            clearInterval(timer);
            testAbort = null;
        }
        showTestPanel('report');
        $('test-close').focus();
    }


    $('send-test').addEventListener('click', () => {
        showTestPanel('ask');
        $('test-dialog').showModal();
        $('test-to').focus();
    });
    $('test-ask').addEventListener('submit', event => { event.preventDefault(); sendTest(); });
    $('test-cancel').addEventListener('click', () => $('test-dialog').close());
    $('test-close').addEventListener('click', () => $('test-dialog').close());
    $('test-again').addEventListener('click', () => { showTestPanel('ask'); $('test-to').focus(); });
    $('test-abort').addEventListener('click', () => testAbort?.abort());
    $('test-dialog').addEventListener('close', () => testAbort?.abort());
    $('test-to').value = document.body.dataset.userEmail ?? '';
})();
