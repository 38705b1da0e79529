'use strict';
// The authorization server's own pages in headless Chromium on a phone-sized viewport (390x844): login, patient
// picker and approval. Checks that each renders and is usable (language, viewport meta, a heading, every control
// labelled, nothing wider than the screen, readable input text, tappable buttons), takes a screenshot of each, and
// unticks one scope on the approval page to check it is left out of the granted scope.
//
//   node auth-pages.js '{"baseUrl": "http://localhost:8080", "screenshots": "target/e2e/screenshots"}'
//
// Signs in as maria (the picker is shown: she may open her own record and two of her children's), picks Sofia, asks
// for `openid fhirUser launch/patient patient/Patient.rs patient/Observation.rs`, unticks patient/Observation.rs and
// ticks its laboratory category instead.
// Prints one JSON document: {ok, pages: {login, picker, approval}, grantedScope, errors}.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const {launchChromium, report} = require('./chromium');

const options = JSON.parse(process.argv[2] || '{}');
const CLIENT_ID = 'caregate-public-app';
const SCOPE = 'openid fhirUser launch/patient patient/Patient.rs patient/Observation.rs';
const UNTICK = 'patient/Observation.rs';
// instead of every Observation, only the laboratory category (the approval page offers the US Core categories)
const LABORATORY = 'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory';
const out = {ok: false, pages: {}, requestedScope: SCOPE, untickedScope: UNTICK, grantedScope: null, errors: []};

async function main() {
    const redirectUri = options.baseUrl + '/portal/demo-app/callback';
    const verifier = crypto.randomBytes(32).toString('base64url');
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URL(options.baseUrl + '/auth/authorize');
    Object.entries({response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUri, scope: SCOPE,
        state: crypto.randomUUID(), aud: options.baseUrl + '/fhir', code_challenge: challenge,
        code_challenge_method: 'S256'}).forEach(([k, v]) => authorize.searchParams.set(k, v));
    fs.mkdirSync(options.screenshots, {recursive: true});

    const {browser, close} = await launchChromium();
    try {
        const page = await browser.newPage();
        page.setDefaultTimeout(30_000);
        await page.setViewport({width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2});
        page.on('pageerror', error => out.errors.push('page: ' + error.message));
        let redirectedTo = null;
        await page.setRequestInterception(true);
        page.on('request', request => {
            if (request.isNavigationRequest() && request.url().startsWith(redirectUri + '?')) {
                redirectedTo = request.url();
                request.respond({status: 200, contentType: 'text/plain', body: 'redirected to the app'});
            } else {
                request.continue();
            }
        });

        await page.goto(authorize.toString(), {waitUntil: 'load'});
        out.pages.login = await inspect(page, 'login');
        await fillByLabel(page, 'User name', 'maria');
        await fillByLabel(page, 'Password', 'maria-dev-password');
        await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);

        out.pages.picker = await inspect(page, 'picker');
        out.pages.picker.choices = await page.$$eval('input[name=patient]', inputs => inputs.map(i => i.value));
        await clickLabel(page, 'Sofia');
        await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);

        out.pages.approval = await inspect(page, 'approval');
        out.pages.approval.scopes = await page.$$eval('input[type=checkbox][name=scope]:not(.granular)', boxes =>
            boxes.map(b => ({scope: b.value, checked: b.checked, deselectable: !b.disabled})));
        out.pages.approval.categories = await page.$$eval('input[type=checkbox].granular', boxes =>
            boxes.map(b => ({scope: b.value, checked: b.checked})));
        await clickBox(page, `input[type=checkbox][name=scope]:not(.granular)[value="${UNTICK}"]`);
        await clickBox(page, `input[type=checkbox].granular[value="${LABORATORY}"]`);
        await page.$eval('#approve', button => button.scrollIntoView({block: 'center'}));
        await Promise.all([page.waitForNavigation(), page.click('#approve')]);

        if (!redirectedTo) {
            out.errors.push('no redirect to the app after approval, at ' + page.url());
            return out;
        }
        const code = new URL(redirectedTo).searchParams.get('code');
        const response = await fetch(options.baseUrl + '/auth/token', {
            method: 'POST',
            headers: {'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json'},
            body: new URLSearchParams({grant_type: 'authorization_code', code, redirect_uri: redirectUri,
                client_id: CLIENT_ID, code_verifier: verifier}),
        });
        const token = await response.json();
        if (!response.ok) {
            out.errors.push(`token request: HTTP ${response.status} ${JSON.stringify(token)}`);
            return out;
        }
        out.grantedScope = token.scope;
        out.patient = token.patient;
        out.ok = out.errors.length === 0;
        return out;
    } finally {
        await close();
    }
}

/** Ticks or unticks a box as a person does on a phone: scrolled into view, a tap on its label. */
async function clickBox(page, selector) {
    const id = await page.$eval(selector, box => {
        box.scrollIntoView({block: 'center'});
        return box.id;
    });
    await page.click(`label[for="${id}"]`);
}

/** What a person on a phone meets on this page; and a screenshot. */
async function inspect(page, name) {
    const screenshot = path.join(options.screenshots, name + '.png');
    await page.screenshot({path: screenshot, fullPage: true});
    const facts = await page.evaluate(() => {
        const visible = element => element.type !== 'hidden' && element.offsetParent !== null;
        const labelOf = element => (element.id && document.querySelector(`label[for="${element.id}"]`))
            || element.closest('label');
        const controls = [...document.querySelectorAll('input, select, textarea')].filter(visible);
        const buttons = [...document.querySelectorAll('button')].filter(visible);
        return {
            path: location.pathname,
            title: document.title,
            lang: document.documentElement.lang,
            viewportMeta: (document.querySelector('meta[name=viewport]') || {}).content || null,
            heading: (document.querySelector('h1') || {}).textContent || null,
            controls: controls.length,
            unlabelledControls: controls.filter(c => !labelOf(c) && !c.getAttribute('aria-label'))
                .map(c => c.outerHTML),
            horizontalOverflow: document.documentElement.scrollWidth > window.innerWidth,
            smallestInputFontPx: Math.min(...controls.filter(c => c.type === 'text' || c.type === 'password')
                .map(c => parseFloat(getComputedStyle(c).fontSize)), 99),
            smallestButtonPx: Math.min(...buttons.map(b => Math.min(b.getBoundingClientRect().height,
                b.getBoundingClientRect().width)), 99),
            bodyFontPx: parseFloat(getComputedStyle(document.body).fontSize),
        };
    });
    return {...facts, screenshot};
}

/** Types into the control whose label reads {@code text}, as a person (or a screen reader) finds it. */
async function fillByLabel(page, text, value) {
    const id = await page.$$eval('label', (labels, wanted) => {
        const label = labels.find(l => l.textContent.trim() === wanted);
        return label ? label.htmlFor : null;
    }, text);
    if (!id) throw new Error(`no label "${text}" on ${page.url()}`);
    await page.type('#' + id, value);
}

async function clickLabel(page, startingWith) {
    const labels = await page.$$('label');
    for (const label of labels) {
        const text = await label.evaluate(l => l.textContent.replace(/\s+/g, ' ').trim());
        if (text.startsWith(startingWith)) {
            await label.click();
            return;
        }
    }
    throw new Error(`no label starting with "${startingWith}" on ${page.url()}`);
}

main().then(report, error => {
    out.errors.push(String(error && error.stack || error));
    report(out);
});
