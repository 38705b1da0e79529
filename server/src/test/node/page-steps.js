'use strict';
// Walks CareGate's pages in headless Chromium as a person would, following the steps the JUnit test gives, and
// reports what the person met on each page it was asked to inspect: language, heading, alerts and status messages,
// unlabelled controls, size on a phone, and the accessibility violations axe-core finds (WCAG 2.x A and AA).
//
//   node page-steps.js '{"baseUrl": "...", "screenshots": "...", "language": "es", "steps": [...]}'
//
// Steps (in order; one browser, one session):
//   {"goto": "/portal/account/activate?code=..."}        open a URL (relative to baseUrl)
//   {"fill": "#username", "value": "..."}                type into a control
//   {"click": "#sign-in"}                                click, and wait for the page it opens
//   {"totp": "#totp-secret", "into": "#code"}            type the current RFC 6238 code of the secret shown
//   {"inspect": "setup"}                                 report this page under that name (and a screenshot)
// Prints one JSON document: {ok, pages: {name: {...}}, errors}.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const {launchChromium, report} = require('./chromium');

const options = JSON.parse(process.argv[2] || '{}');
const out = {ok: false, pages: {}, errors: []};
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function main() {
    fs.mkdirSync(options.screenshots, {recursive: true});
    const {browser, close} = await launchChromium();
    try {
        const page = await browser.newPage();
        page.setDefaultTimeout(30_000);
        await page.setViewport({width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2});
        if (options.language) {
            await page.setExtraHTTPHeaders({'Accept-Language': options.language});
        }
        page.on('pageerror', error => out.errors.push('page: ' + error.message));
        for (const step of options.steps) {
            if (step.goto) {
                await page.goto(new URL(step.goto, options.baseUrl).toString(), {waitUntil: 'load'});
            } else if (step.fill) {
                await page.$eval(step.fill, element => { element.value = ''; });
                await page.type(step.fill, String(step.value));
            } else if (step.click) {
                await Promise.all([page.waitForNavigation({waitUntil: 'load'}), page.click(step.click)]);
            } else if (step.totp) {
                const secret = await page.$eval(step.totp, element => element.textContent.replace(/\s/g, ''));
                await page.type(step.into, totp(secret, Date.now()));
            } else if (step.inspect) {
                out.pages[step.inspect] = await inspect(page, step.inspect);
            } else {
                throw new Error('unknown step ' + JSON.stringify(step));
            }
        }
        out.ok = out.errors.length === 0;
        return out;
    } finally {
        await close();
    }
}

async function inspect(page, name) {
    const screenshot = path.join(options.screenshots, name + '.png');
    await page.screenshot({path: screenshot, fullPage: true});
    const facts = await page.evaluate(() => {
        const visible = element => element.type !== 'hidden' && element.offsetParent !== null;
        const labelOf = element => (element.id && document.querySelector(`label[for="${element.id}"]`))
            || element.closest('label');
        const controls = [...document.querySelectorAll('input, select, textarea')].filter(visible);
        const text = selector => [...document.querySelectorAll(selector)].map(e => e.textContent.replace(/\s+/g, ' ')
            .trim()).filter(Boolean);
        return {
            path: location.pathname,
            url: location.href,
            title: document.title,
            lang: document.documentElement.lang,
            heading: (document.querySelector('h1') || {}).textContent || null,
            alerts: text('[role=alert]'),
            statuses: text('[role=status]'),
            languageSwitch: [...document.querySelectorAll('nav.languages a')].map(a => a.getAttribute('lang')),
            unlabelledControls: controls.filter(c => !labelOf(c) && !c.getAttribute('aria-label')).map(c => c.outerHTML),
            horizontalOverflow: document.documentElement.scrollWidth > window.innerWidth,
            body: document.body.innerText,
        };
    });
    await page.evaluate(AXE);
    const axe = await page.evaluate(async () => {
        const result = await window.axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.html).slice(0, 3)}));
    });
    return {...facts, axeViolations: axe, screenshot};
}

/** RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, the secret in base32. */
function totp(base32, now) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = '';
    for (const c of base32.toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
    const key = Buffer.from(bits.match(/.{8}/g).map(b => parseInt(b, 2)));
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
    const hash = crypto.createHmac('sha1', key).update(counter).digest();
    const offset = hash[hash.length - 1] & 0x0f;
    const binary = (hash.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
    return String(binary).padStart(6, '0');
}

main().then(report, error => {
    out.errors.push(String(error && error.stack || error));
    report(out);
});
