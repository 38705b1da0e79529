'use strict';
// Runs postman/CareGate.postman_collection.json with newman against a running CareGate, getting every token the
// collection needs through the real flows first (standalone launches over HTTP through the login, picker and
// approval pages with the development logins; backend client assertions signed with the generated key).
//
//   node run-collection.js [--base-url http://localhost:8080] [--data-dir <repository>/data] [--junit <file>]
//
// Exits with newman's exit code.
const {spawnSync} = require('node:child_process');
const path = require('node:path');
const {authorizationCode, userToken, clientAssertion} = require('./smart-flows');

function argument(name, fallback) {
    const index = process.argv.indexOf('--' + name);
    return index > 0 ? process.argv[index + 1] : fallback;
}

const REPOSITORY = path.join(__dirname, '..', '..', '..', '..');
const baseUrl = argument('base-url', 'http://localhost:8080').replace(/\/$/, '');
const dataDir = path.resolve(argument('data-dir', path.join(REPOSITORY, 'data')));
const junit = argument('junit', null);
const PATIENT_APP = 'openid fhirUser launch/patient patient/*.rs';

async function main() {
    const key = path.join(dataDir, 'dev-credentials', 'caregate-backend-north.jwk.json');
    const variables = {
        baseUrl,
        aliceToken: await userToken(baseUrl, {username: 'alice', scope: PATIENT_APP}),
        mariaToken: await userToken(baseUrl, {username: 'maria', scope: PATIENT_APP, patient: 'pat-family-4'}),
        okaforToken: await userToken(baseUrl, {username: 'dr.okafor', scope: 'openid fhirUser user/*.cruds'}),
        backendClientAssertion: clientAssertion(baseUrl, key),
        backendClientAssertionForInvalidScope: clientAssertion(baseUrl, key),
        authorizationCode: (await authorizationCode(baseUrl, {username: 'alice', scope: PATIENT_APP})).code,
    };
    const args = ['run', path.join(REPOSITORY, 'postman', 'CareGate.postman_collection.json'),
        '-e', path.join(REPOSITORY, 'postman', 'CareGate-local.postman_environment.json'),
        ...Object.entries(variables).flatMap(([name, value]) => ['--env-var', `${name}=${value}`]),
        '--reporters', junit ? 'cli,junit' : 'cli', ...(junit ? ['--reporter-junit-export', junit] : [])];
    const newman = spawnSync(path.join(__dirname, 'node_modules', '.bin', 'newman'), args, {stdio: 'inherit'});
    process.exitCode = newman.status === null ? 1 : newman.status;
}

main().catch(error => {
    console.error(error);
    process.exitCode = 1;
});
