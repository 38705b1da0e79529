'use strict';
// Drives the SMART JS client test app (smart-app/, fhirclient's browser bundle, client caregate-public-app) through a
// real launch against CareGate in headless Chromium, the way a person would: login page, patient picker, approval
// page, then the app's code exchange with PKCE, patient.read() and an Observation search, all in the browser.
//
//   node smart-launch.js '<json options>'
//
// Options: baseUrl (CareGate, e.g. http://localhost:8080), appPort (the test app's fixed port: its redirect URI
// http://127.0.0.1:<appPort>/smart-app/callback.html must be registered), mode ("standalone" or "ehr"), username,
// password, pick (patient id to choose on the picker), scope (optional), ehrPatient (ehr mode: whose Launch button
// to press in the provider portal), ehrApp (ehr mode: the portal app's client id, default caregate-public-app).
// Prints one JSON document: {ok, steps, picker, approvalScopes, portalLaunch (ehr mode: iss, launch, launchUrl),
// result (the app's own report), errors}.
const {launchChromium, report} = require('./chromium');
const {startSmartAppServer} = require('./serve-smart-app');

const options = JSON.parse(process.argv[2] || '{}');
const STEP_TIMEOUT = 30_000;

const out = {ok: false, mode: options.mode || 'standalone', steps: [], picker: null, approvalScopes: null,
    result: null, errors: []};

async function main() {
    const app = await startSmartAppServer(options.appPort);
    const {browser, close} = await launchChromium();
    try {
        const page = await browser.newPage();
        page.setDefaultTimeout(STEP_TIMEOUT);
        page.on('console', message => {
            if (message.type() === 'error') out.errors.push('console: ' + message.text());
        });
        page.on('response', response => {
            if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) {
                out.errors.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
            }
        });
        page.on('pageerror', error => out.errors.push('page: ' + error.message));
        page.on('requestfailed', request => out.errors.push(
            `request failed: ${request.method()} ${request.url()} ${request.failure() && request.failure().errorText}`));
        const fhirBase = options.baseUrl + '/fhir';
        if (out.mode === 'ehr') {
            await followPortalLaunches(page, app.origin);
        }
        const start = out.mode === 'ehr'
            ? options.baseUrl + '/portal/patients'
            : `${app.origin}/smart-app/launch.html?iss=${encodeURIComponent(fhirBase)}`
                + (options.scope ? `&scope=${encodeURIComponent(options.scope)}` : '');
        await page.goto(start, {waitUntil: 'load'});
        for (let step = 0; step < 12; step++) {
            await page.waitForFunction(() => document.readyState === 'complete', {timeout: STEP_TIMEOUT});
            const url = new URL(page.url());
            out.steps.push(url.origin + url.pathname);
            if (url.pathname === '/smart-app/callback.html') {
                await page.waitForFunction(() => window.__result !== undefined, {timeout: STEP_TIMEOUT});
                out.result = await page.evaluate(() => window.__result);
                out.ok = out.result.ok === true;
                return out;
            }
            if (url.pathname === '/auth/login') {
                await page.type('#username', options.username);
                await page.type('#password', options.password);
                await submit(page, 'form[action$="/auth/login"] button[type=submit]');
            } else if (url.pathname === '/auth/picker') {
                out.picker = await page.$$eval('input[name=patient]', inputs => inputs.map(input => ({
                    patientId: input.value,
                    label: document.querySelector(`label[for="${input.id}"]`).textContent.replace(/\s+/g, ' ').trim(),
                })));
                if (options.pick) {
                    const choice = await page.$(`input[name=patient][value="${options.pick}"]`);
                    if (!choice) {
                        out.errors.push(`patient ${options.pick} is not offered on the picker`);
                        return out;
                    }
                    await choice.click();
                }
                await submit(page, 'form[action$="/auth/picker"] button[type=submit]');
            } else if (url.pathname === '/portal/patients') {
                const launchButton = `#patient-${options.ehrPatient} form:has(input[name=app][value="${
                    options.ehrApp || 'caregate-public-app'}"]) button[type=submit]`;
                if (!(await page.$(launchButton))) {
                    out.errors.push(`no launch button ${launchButton} on the portal's patient list`);
                    return out;
                }
                await submit(page, launchButton);
            } else if (url.pathname === '/smart-app/launch.html') {
                // fhirclient redirects on its own (discovery, then /auth/authorize)
                await page.waitForFunction(() => location.pathname !== '/smart-app/launch.html'
                    && document.readyState === 'complete', {timeout: STEP_TIMEOUT});
            } else if (await page.$('#approve')) { // the approval page (/auth/consent)
                out.approvalScopes = await page.$$eval('input[type=checkbox][name=scope]', boxes => boxes.map(b => b.value));
                await submit(page, '#approve');
            } else {
                out.errors.push(`unexpected page ${page.url()}: `
                    + (await page.evaluate(() => document.body.innerText)).slice(0, 500));
                return out;
            }
        }
        out.errors.push('too many steps');
        return out;
    } finally {
        await close();
        await app.close();
    }
}

/**
 * Records the launch the portal sends the browser to (iss and launch), in out.portalLaunch.
 *
 * The portal launches the apps of caregate.portal.apps; by default that is caregate-public-app with the built-in demo
 * app's launch URL. This test app is the same client (caregate-public-app), so when the portal sends the browser to
 * the demo app's launch URL, the browser goes to this app's launch page instead, with the same iss and launch: the
 * launch context the portal created (single use, bound to caregate-public-app) is redeemed by fhirclient. When the
 * portal is configured with this app's launch URL itself, nothing is redirected.
 */
async function followPortalLaunches(page, appOrigin) {
    const demoLaunch = options.baseUrl + '/portal/demo-app/launch?';
    const appLaunch = appOrigin + '/smart-app/launch.html?';
    await page.setRequestInterception(true);
    page.on('request', request => {
        if (request.isInterceptResolutionHandled()) return;
        const url = request.url();
        if (request.isNavigationRequest() && !out.portalLaunch
                && (url.startsWith(demoLaunch) || url.startsWith(appLaunch))) {
            const query = new URL(url).search;
            out.portalLaunch = {...Object.fromEntries(new URLSearchParams(query)),
                launchUrl: url.split('?')[0], redirectedToTestApp: url.startsWith(demoLaunch)};
            if (url.startsWith(demoLaunch)) {
                request.respond({status: 302, headers: {Location: appOrigin + '/smart-app/launch.html' + query}});
                return;
            }
        }
        request.continue();
    });
}

async function submit(page, selector) {
    await Promise.all([page.waitForNavigation({waitUntil: 'load'}), page.click(selector)]);
}

main().then(report, error => {
    out.ok = false;
    out.errors.push(String(error && error.stack || error));
    report(out);
});
