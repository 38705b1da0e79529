'use strict';
// A tiny static server for the SMART JS client test app: smart-app/*.html and fhirclient's browser bundle at
// /fhir-client.js. Loopback only. Run alone (`node serve-smart-app.js 18931`) to try the app by hand.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const APP_DIR = path.join(__dirname, 'smart-app');
const FILES = {
    '/fhir-client.js': require.resolve('fhirclient/build/fhir-client.js'),
    '/smart-app/launch.html': path.join(APP_DIR, 'launch.html'),
    '/smart-app/callback.html': path.join(APP_DIR, 'callback.html'),
};
const TYPES = {'.js': 'text/javascript; charset=utf-8', '.html': 'text/html; charset=utf-8'};

function startSmartAppServer(port, host = '127.0.0.1') {
    const server = http.createServer((request, response) => {
        const file = FILES[new URL(request.url, 'http://app').pathname];
        if (!file || request.method !== 'GET') {
            response.writeHead(404, {'Content-Type': 'text/plain'});
            response.end('not found');
            return;
        }
        response.writeHead(200, {'Content-Type': TYPES[path.extname(file)], 'Cache-Control': 'no-store'});
        fs.createReadStream(file).pipe(response);
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve({
            origin: `http://${host}:${server.address().port}`,
            close: () => new Promise(done => server.close(done)),
        }));
    });
}

module.exports = {startSmartAppServer};

if (require.main === module) {
    startSmartAppServer(Number(process.argv[2] || 18931))
        .then(app => console.log(`SMART JS client test app at ${app.origin}/smart-app/launch.html?iss=<FHIR base>`));
}
