'use strict';
// Prints a SMART Backend Services client assertion (RFC 7523 JWT, ES384) for the north clinic's example backend
// client, signed with the private JWK that CareGate generates at first start. Paste it into the Postman
// environment's backendClientAssertion, then send "Backend services / Get a backend services token" (valid 4 minutes,
// once: CareGate refuses a replayed jti).
//
//   node backend-assertion.js [--base-url http://localhost:8080] [--key ../../../../data/dev-credentials/caregate-backend-north.jwk.json]
//                             [--client-id caregate-backend-north] [--count 1]
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

function argument(name, fallback) {
    const index = process.argv.indexOf('--' + name);
    return index > 0 ? process.argv[index + 1] : fallback;
}

const baseUrl = argument('base-url', 'http://localhost:8080').replace(/\/$/, '');
const clientId = argument('client-id', 'caregate-backend-north');
const keyFile = argument('key', path.join(__dirname, '..', '..', '..', '..', 'data', 'dev-credentials',
    clientId + '.jwk.json'));
const count = Number(argument('count', '1'));

const jwk = JSON.parse(fs.readFileSync(keyFile, 'utf8'));
const key = crypto.createPrivateKey({key: jwk, format: 'jwk'});
const base64url = value => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

for (let i = 0; i < count; i++) {
    const now = Math.floor(Date.now() / 1000);
    const header = {alg: 'ES384', typ: 'JWT', kid: jwk.kid};
    const claims = {iss: clientId, sub: clientId, aud: baseUrl + '/auth/token', jti: crypto.randomUUID(), iat: now,
        exp: now + 240};
    const input = base64url(header) + '.' + base64url(claims);
    const signature = crypto.sign('sha384', Buffer.from(input), {key, dsaEncoding: 'ieee-p1363'});
    console.log(input + '.' + signature.toString('base64url'));
}
