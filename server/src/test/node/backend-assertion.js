'use strict';
// Prints SMART Backend Services client assertions (RFC 7523 JWT, ES384) for the north clinic's example backend
// client, signed with the private JWK that CareGate generates at first start. Paste one into the Postman
// environment's backendClientAssertion, then send "Backend services / Get a backend services token" (valid 4 minutes,
// once: CareGate refuses a replayed jti).
//
//   node backend-assertion.js [--base-url http://localhost:8080] [--count 1] [--client-id caregate-backend-north]
//                             [--key <repository>/data/dev-credentials/<client-id>.jwk.json]
const path = require('node:path');
const {clientAssertion} = require('./smart-flows');

function argument(name, fallback) {
    const index = process.argv.indexOf('--' + name);
    return index > 0 ? process.argv[index + 1] : fallback;
}

const baseUrl = argument('base-url', 'http://localhost:8080').replace(/\/$/, '');
const clientId = argument('client-id', 'caregate-backend-north');
const keyFile = argument('key', path.join(__dirname, '..', '..', '..', '..', 'data', 'dev-credentials',
    clientId + '.jwk.json'));
for (let i = 0; i < Number(argument('count', '1')); i++) {
    console.log(clientAssertion(baseUrl, keyFile, clientId));
}
