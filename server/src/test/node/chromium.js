'use strict';
// Debian's Chromium, headless, for the browser tests: a fresh profile per run, no background traffic, and never a
// browser of puppeteer's own (puppeteer-core downloads nothing).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const puppeteer = require('puppeteer-core');

const EXECUTABLE = process.env.CAREGATE_CHROMIUM || '/usr/bin/chromium';

async function launchChromium() {
    if (!fs.existsSync(EXECUTABLE)) {
        throw new Error(`Chromium not found at ${EXECUTABLE}: run server/src/test/scripts/install-test-tools.sh as root `
            + '(apt-get install -y chromium) or set CAREGATE_CHROMIUM');
    }
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'caregate-chromium-'));
    const browser = await puppeteer.launch({
        executablePath: EXECUTABLE,
        headless: true,
        userDataDir: profile,
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
            '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
            '--lang=en-US',
            // for debugging only (e.g. --auto-open-devtools-for-tabs); never to make a test pass
            ...(process.env.CAREGATE_CHROMIUM_ARGS || '').split(' ').filter(Boolean)],
    });
    const close = async () => {
        await browser.close().catch(() => {});
        fs.rmSync(profile, {recursive: true, force: true});
    };
    return {browser, close};
}

/** Prints one JSON document on stdout (what the JUnit test reads) and exits 0, or 1 when {@code result.ok} is false. */
function report(result) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    process.exitCode = result.ok ? 0 : 1;
}

module.exports = {launchChromium, report};
