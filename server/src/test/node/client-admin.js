'use strict';
// A CareGate administrator's work on the client administration page (/portal/admin/clients) in headless Chromium:
// signs in through the portal, then does each action in turn, the way a person would (buttons and form fields
// found by their ids and labels).
//
//   node client-admin.js '<json options>'
//
// Options: baseUrl, username, password, actions: a list of
//   {"do": "issue-token"}                                    -> {token}: the initial access token shown once
//   {"do": "register", "form": {<field id>: value, ...}}     -> {clientId, clientSecret, status}: the page form
//   {"do": "approve" | "disable" | "rotate-secret", "clientId"} -> {status, clientSecret}
// Prints one JSON document: {ok, results (one per action), errors}.
const {launchChromium, report} = require('./chromium');

const options = JSON.parse(process.argv[2] || '{}');
const out = {ok: false, results: [], errors: []};
const CLIENTS = '/portal/admin/clients';

async function main() {
    const {browser, close} = await launchChromium();
    try {
        const page = await browser.newPage();
        page.setDefaultTimeout(30_000);
        page.on('pageerror', error => out.errors.push('page: ' + error.message));
        await page.goto(options.baseUrl + CLIENTS, {waitUntil: 'load'});
        if (new URL(page.url()).pathname === '/auth/login') {
            await page.type('#username', options.username);
            await page.type('#password', options.password);
            await submit(page, 'form[action$="/auth/login"] button[type=submit]');
        }
        if (new URL(page.url()).pathname !== CLIENTS) {
            out.errors.push(`not on the clients page after login: ${page.url()} ${await text(page, 'main')}`);
            return out;
        }
        for (const action of options.actions || []) {
            out.results.push(await perform(page, action));
        }
        out.ok = out.errors.length === 0;
        return out;
    } finally {
        await close();
    }
}

async function perform(page, action) {
    if (action.do === 'issue-token') {
        await page.goto(options.baseUrl + CLIENTS, {waitUntil: 'load'});
        await submit(page, '#issue-token');
        return {token: await text(page, '#initial-access-token')};
    }
    if (action.do === 'register') {
        await page.goto(options.baseUrl + CLIENTS, {waitUntil: 'load'});
        for (const [id, value] of Object.entries(action.form)) {
            const field = await page.$('#register-form #' + id);
            if (!field) {
                out.errors.push('no field #' + id);
                continue;
            }
            const kind = await field.evaluate(element => element.tagName + ':' + (element.type || ''));
            if (kind === 'SELECT:select-one') {
                await page.select('#register-form #' + id, value);
            } else if (kind === 'INPUT:checkbox') {
                const checked = await field.evaluate(element => element.checked);
                if (checked !== value) await field.click();
            } else {
                await field.evaluate(element => { element.value = ''; });
                await field.type(String(value));
            }
        }
        await submit(page, '#register-client');
        const problem = await text(page, '#register-form .error');
        if (problem) out.errors.push('registration refused: ' + problem);
        return {clientId: await text(page, '#client-id'), clientSecret: await text(page, '#client-secret'),
            status: await text(page, '#status')};
    }
    if (['approve', 'disable', 'rotate-secret'].includes(action.do)) {
        await page.goto(`${options.baseUrl}${CLIENTS}/${encodeURIComponent(action.clientId)}`, {waitUntil: 'load'});
        if (!(await page.$('#' + action.do))) {
            out.errors.push(`no ${action.do} button for ${action.clientId}: ${await text(page, 'main')}`);
            return {};
        }
        await submit(page, '#' + action.do);
        return {status: await text(page, '#status'), clientSecret: await text(page, '#client-secret'),
            notice: await text(page, '.notice')};
    }
    out.errors.push('unknown action ' + JSON.stringify(action));
    return {};
}

async function text(page, selector) {
    const element = await page.$(selector);
    return element ? (await element.evaluate(e => e.textContent)).replace(/\s+/g, ' ').trim() : null;
}

async function submit(page, selector) {
    await Promise.all([page.waitForNavigation({waitUntil: 'load'}), page.click(selector)]);
}

main().then(report, error => {
    out.errors.push(String(error && error.stack || error));
    report(out);
});
