'use strict';
// The SMART flows a tester's tools need, over plain HTTP (no browser): a standalone launch of the example public app
// through CareGate's login, patient picker and approval pages, and SMART Backend Services client assertions.
// Used by run-collection.js and backend-assertion.js.
const crypto = require('node:crypto');
const fs = require('node:fs');

const PUBLIC_APP = 'caregate-public-app';
const POSTMAN_CALLBACK = 'https://oauth.pstmn.io/v1/callback';

/** A person's browser: keeps the session cookie, follows no redirect by itself. */
class Session {
    constructor(baseUrl) {
        this.baseUrl = baseUrl;
        this.cookies = new Map();
    }

    async request(url, form) {
        const absolute = new URL(url, this.baseUrl).toString();
        const headers = {Accept: 'text/html'};
        if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
        const response = await fetch(absolute, {method: form ? 'POST' : 'GET', headers, redirect: 'manual',
            body: form ? formBody(form) : undefined});
        for (const cookie of response.headers.getSetCookie()) {
            const [pair] = cookie.split(';');
            const eq = pair.indexOf('=');
            this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
        }
        return {status: response.status, url: absolute, location: response.headers.get('location'),
            body: await response.text()};
    }

    /** Follows redirects that stay on this server. */
    async follow(page) {
        for (let hops = 0; hops < 10 && page.status >= 300 && page.status < 400; hops++) {
            const next = new URL(page.location, page.url).toString();
            if (!next.startsWith(this.baseUrl)) return page;
            page = await this.request(next);
        }
        return page;
    }
}

function formBody(form) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) {
        (Array.isArray(value) ? value : [value]).forEach(one => body.append(key, one));
    }
    return body;
}

function field(page, name) {
    const match = page.body.match(new RegExp(`name="${name}"\\s+value="([^"]+)"`));
    if (!match) throw new Error(`no ${name} field on ${page.url}: ${page.body.slice(0, 300)}`);
    return match[1].replace(/&amp;/g, '&');
}

function pkce() {
    const verifier = crypto.randomBytes(32).toString('base64url');
    return {verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url')};
}

/**
 * A standalone launch as username (password <username>-dev-password), choosing patient on the picker if it is shown,
 * approving every scope offered; stops at the redirect to redirectUri and returns {code, verifier, redirectUri}.
 */
async function authorizationCode(baseUrl, {username, scope, patient, redirectUri = POSTMAN_CALLBACK}) {
    const session = new Session(baseUrl);
    const {verifier, challenge} = pkce();
    const authorize = new URL(baseUrl + '/auth/authorize');
    Object.entries({response_type: 'code', client_id: PUBLIC_APP, redirect_uri: redirectUri, scope,
        state: crypto.randomUUID(), aud: baseUrl + '/fhir', code_challenge: challenge, code_challenge_method: 'S256'})
        .forEach(([k, v]) => authorize.searchParams.set(k, v));
    const loginPage = await session.follow(await session.request(authorize.toString()));
    let page = await session.follow(await session.request('/auth/login', {username,
        password: username + '-dev-password', _csrf: field(loginPage, '_csrf')}));
    if (new URL(page.url).pathname === '/auth/picker') {
        page = await session.follow(await session.request('/auth/picker', {state: field(page, 'state'),
            patient, _csrf: field(page, '_csrf')}));
    }
    if (!page.body.includes('id="approve"')) {
        throw new Error(`expected the approval page for ${username}, got ${page.url} (${page.status})`);
    }
    const scopes = [...new Set([...page.body.matchAll(/name="scope"[^>]*value="([^"]+)"/g)].map(m => m[1]))];
    const redirect = await session.request('/auth/authorize', {client_id: PUBLIC_APP, state: field(page, 'state'),
        scope: scopes});
    const code = redirect.location && new URL(redirect.location).searchParams.get('code');
    if (!code) throw new Error(`no code for ${username}: ${redirect.status} ${redirect.location}`);
    return {code, verifier, redirectUri};
}

/** The access token of a standalone launch (see authorizationCode). */
async function userToken(baseUrl, launch) {
    const {code, verifier, redirectUri} = await authorizationCode(baseUrl, launch);
    const response = await fetch(baseUrl + '/auth/token', {method: 'POST',
        headers: {'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json'},
        body: formBody({grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: PUBLIC_APP,
            code_verifier: verifier})});
    const token = await response.json();
    if (!response.ok) throw new Error(`token request for ${launch.username}: ${JSON.stringify(token)}`);
    return token.access_token;
}

/** A SMART Backend Services client assertion (RFC 7523, ES384) signed with a private JWK file; single use. */
function clientAssertion(baseUrl, keyFile, clientId = 'caregate-backend-north') {
    const jwk = JSON.parse(fs.readFileSync(keyFile, 'utf8'));
    const key = crypto.createPrivateKey({key: jwk, format: 'jwk'});
    const part = value => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const input = part({alg: 'ES384', typ: 'JWT', kid: jwk.kid}) + '.' + part({iss: clientId, sub: clientId,
        aud: baseUrl + '/auth/token', jti: crypto.randomUUID(), iat: now, exp: now + 240});
    const signature = crypto.sign('sha384', Buffer.from(input), {key, dsaEncoding: 'ieee-p1363'});
    return input + '.' + signature.toString('base64url');
}

module.exports = {authorizationCode, userToken, clientAssertion, POSTMAN_CALLBACK};
