// The packaged "Mail server" page: the "Mail templates" section. Each mail kind × culture: the built-in template or
// the saved one, edited, previewed (the HTML in a sandboxed frame, posted to a document of its own), saved with its
// version, sent as a test, reset to the built-in one. Problems sit at their field with line and column.
(() => {
    'use strict';
    const { $, T, format, api, request, clearErrors, showErrors, say, problemText } = window.SystemMailPage;
    const parts = { subject: 'template-subject', html: 'template-html', text: 'template-text', to: 'template-test-to' };
    const page = api.replace(/\/api$/, '');
    let current = null;   // the template as last loaded or saved
    let baseline = '';

    const kind = () => $('template-kind').value;
    const culture = () => $('template-culture').value;
    const path = () => `/templates/${encodeURIComponent(kind())}/${encodeURIComponent(culture())}`;
    const edited = () => ({ subject: $('template-subject').value, html: $('template-html').value, text: $('template-text').value });
    const isDirty = () => current !== null && JSON.stringify(edited()) !== baseline;

    const result = (text, good) => say('template-result', text, good);
    const clearProblems = () => clearErrors($('template-form'), $('template-errors'));

    // The endpoints' 400: problems with part, line and column (templates), or errors by field (the test's address).
    function showProblems(body, fallback) {
        const items = body?.problems ?? Object.entries(body?.errors ?? {}).flatMap(([part, messages]) => messages.map(message => ({ part, message })));
        showErrors($('template-form'), $('template-errors'), T.templateProblems,
            items.map(item => ({ id: parts[item.part], text: item.line ? format(T.templateProblemAt, item.line, item.column, item.message) : item.message })),
            fallback ?? problemText(body));
    }

    function update() {
        $('template-save').disabled = !isDirty();
        $('template-reset').disabled = !current?.saved;
    }

    function fill(document_) {
        current = document_;
        $('template-subject').value = document_.current.subject ?? '';
        $('template-html').value = document_.current.html ?? '';
        $('template-text').value = document_.current.text ?? '';
        baseline = JSON.stringify(edited());
        $('template-state').textContent = document_.saved
            ? format(T.templateSavedBy, document_.updatedBy ?? '?', document_.updatedAt ? new Date(document_.updatedAt).toLocaleString(document.documentElement.lang) : '')
            : T.templateBuiltIn;
        $('template-variables').textContent = format(T.templateVariables, document_.variables.map(v => `{{ ${v} }}`).join(' '))
            + (document_.requiredVariable ? ' ' + format(T.templateRequired, `{{ ${document_.requiredVariable} }}`) : '');
        update();
    }

    async function load() {
        clearProblems();
        result('');
        $('template-preview-area').hidden = true;
        const { ok, body } = await request('GET', path());
        if (!ok) { showProblems(null, problemText(body)); return; }
        fill(body);
    }

    async function preview() {
        clearProblems();
        const { status, body } = await request('POST', path() + '/preview', edited());
        if (status !== 200) { showProblems(body); return false; }
        $('template-preview-subject').textContent = body.subject;
        $('template-preview-text').textContent = body.text;
        const post = $('template-preview-post');
        post.action = page + '/preview-frame' + path().slice('/templates'.length);
        for (const [name, value] of Object.entries(edited())) { post.elements[name].value = value; }
        $('template-preview-area').hidden = false;
        post.submit();
        return true;
    }

    async function save() {
        $('template-save').disabled = true;
        result(T.saving);
        const { status, body } = await request('PUT', path(), { ...edited(), version: current?.version ?? null });
        if (status === 200) {
            clearProblems();
            fill(body);
            result(T.saved, true);
            return;
        }
        result(T.notSaved, false);
        if (status === 409) { showProblems(null, T.templateConflict); } else { showProblems(body); }
        update();
    }

    async function reset() {
        const version = current?.version ? `?version=${encodeURIComponent(current.version)}` : '';
        const { status, body } = await request('DELETE', path() + version);
        if (status === 200) { clearProblems(); fill(body); result(T.templateWasReset, true); return; }
        if (status === 409) { showProblems(null, T.templateConflict); } else { showProblems(body); }
    }

    async function sendTest() {
        clearProblems();
        result(T.templateSending);
        const to = $('template-test-to').value.trim();
        const { status, body } = await request('POST', path() + '/test', { ...edited(), to: to || null });
        if (status === 200) { result(format(T.testSent, body.to), true); return; }
        result(T.testFailed, false);
        showProblems(body);
    }

    async function choose() {
        if (isDirty() && !window.confirm(T.templateDiscard)) {
            $('template-kind').value = current.kind;
            $('template-culture').value = current.culture;
            return;
        }
        await load();
    }

    $('template-form').addEventListener('input', update);
    $('template-form').addEventListener('submit', event => { event.preventDefault(); if (isDirty()) { save(); } });
    $('template-kind').addEventListener('change', choose);
    $('template-culture').addEventListener('change', choose);
    $('template-preview').addEventListener('click', preview);
    $('template-reset').addEventListener('click', reset);
    $('template-send-test').addEventListener('click', sendTest);
    window.addEventListener('beforeunload', event => { if (isDirty()) { event.preventDefault(); event.returnValue = ''; } });

    (async () => {
        $('template-test-to').value = document.body.dataset.userEmail ?? '';
        const { ok, body } = await request('GET', '/templates');
        if (!ok) { $('templates-section').hidden = true; return; }
        const kinds = [...new Set(body.templates.map(t => t.kind))];
        $('template-kind').replaceChildren(...kinds.map(k => new Option(T['kind' + k] ?? k, k)));
        // Each language by its name in the page's language, with its code: "简体中文 (zh-Hans)", "English (en)".
        const names = new Intl.DisplayNames([document.documentElement.lang], { type: 'language', fallback: 'code' });
        $('template-culture').replaceChildren(...body.cultures.map(c => new Option(`${names.of(c)} (${c})`, c)));
        // The page's own language first (zh-Hans under zh-CN, de under de-AT), else English.
        const language = [document.body.dataset.language, 'en'].find(l => body.cultures.includes(l));
        $('template-culture').value = language ?? body.cultures[0];
        await load();
        document.body.dataset.templatesReady = 'true';
    })();
})();
