// Page routes, MIME types, security headers, no directory traversal, and
// the QR code route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { startServer, api } from '../lib/server.mjs';
import { createWorkshop, rawRequest } from './helpers.mjs';

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
  + "frame-ancestors 'none'";
const index = readFileSync('web/index.html', 'utf8');
const consoleHtml = readFileSync('web/console.html', 'utf8');
const present = readFileSync('web/present.html', 'utf8');

let server;
let disk;
before(async () => {
  server = await startServer();
  disk = await startServer({ args: ['--web', 'web'] });
});
after(async () => {
  for (const s of [server, disk]) {
    const { code } = await s.stop();
    s.cleanup();
    assert.equal(code, 0);
  }
});

function checkHeaders(res) {
  assert.equal(res.headers.get('content-security-policy'), CSP);
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
}

for (const [name, get] of [['embedded', () => server], ['--web', () => disk]]) {
  test(`page routes (${name})`, async () => {
    const s = get();
    for (const [path, body] of [['/', index], ['/j/H7K2QX', index], ['/console', consoleHtml], ['/present/k3v9q2x7m4pd', present]]) {
      const res = await api(s, 'GET', path);
      assert.equal(res.status, 200, path);
      assert.equal(res.text, body, path);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.ok(res.headers.get('cache-control'));
      checkHeaders(res);
    }
    const fav = await api(s, 'GET', '/favicon.svg');
    assert.equal(fav.status, 200);
    assert.equal(fav.headers.get('content-type'), 'image/svg+xml');
    const missing = await api(s, 'GET', '/nosuchfile.js');
    assert.equal(missing.status, 404);
    checkHeaders(missing);
    const post = await api(s, 'POST', '/console', { body: {} });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });

  test(`no directory traversal (${name})`, async () => {
    const s = get();
    for (const path of ['/../Makefile', '/%2e%2e/Makefile', '/%2E%2E/%2e%2e/etc/passwd', '/css/../../Makefile',
      '/..%2fMakefile', '/.git/config', '/%2e%2e%2fMakefile', '/..\\Makefile']) {
      const res = await rawRequest(s, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.ok(res.status === 404 || res.status === 400, `${path}: ${res.status}`);
      assert.ok(!res.body.includes('BUILD') && !res.body.includes('root:'), path);
    }
  });
}

test('every embedded web file is served with a sensible type', async () => {
  const types = { css: /^text\/css/, js: /^text\/javascript/, html: /^text\/html/, svg: /^image\/svg\+xml/ };
  const { execFileSync } = await import('node:child_process');
  const files = execFileSync('find', ['web', '-type', 'f'], { encoding: 'utf8' }).trim().split('\n');
  for (const f of files) {
    const res = await api(server, 'GET', f.slice(3));
    assert.equal(res.status, 200, f);
    const ext = f.split('.').pop();
    if (types[ext]) assert.match(res.headers.get('content-type'), types[ext], f);
  }
});

test('API responses carry the security headers too', async () => {
  checkHeaders(await api(server, 'GET', '/api/health'));
  checkHeaders(await api(server, 'GET', '/api/nope'));
});

test('QR code of the join URL as SVG', async () => {
  const ws = await createWorkshop(server);
  const res = await api(server, 'GET', `/api/join/${ws.code}/qr.svg`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/svg+xml');
  assert.match(res.text, /^<\?xml[^>]*>\s*<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
  assert.equal((res.text.match(/<path /g) || []).length, 1);
  assert.match(res.text, /<\/svg>\s*$/);
  const size = Number(/viewBox="0 0 (\d+)/.exec(res.text)[1]);
  assert.ok(size >= 29 && (size - 8 - 21) % 4 === 0, `symbol size ${size - 8} is a QR version size`);
  assert.equal((await api(server, 'GET', '/api/join/ZZZZZZ/qr.svg')).status, 404);
});

test('join URLs use --public-url when given', async () => {
  const pub = await startServer({ args: ['--public-url', 'https://dialog.example.se/'] });
  try {
    const ws = await createWorkshop(pub);
    assert.equal(ws.join_url, `https://dialog.example.se/j/${ws.code}`);
  } finally {
    const { code } = await pub.stop();
    pub.cleanup();
    assert.equal(code, 0);
  }
});

// The workshop's join_url as the server builds it for a request with this Host header.
async function joinUrlVia(s, ws, host) {
  const res = await rawRequest(s, `GET /api/workshops/${ws.id} HTTP/1.1\r\nHost: ${host}\r\n`
    + `Authorization: Bearer ${s.key}\r\nConnection: close\r\n\r\n`);
  assert.equal(res.status, 200, res.head);
  return JSON.parse(res.body).join_url;
}

// The test talks to loopback only: the LAN address the server picks is compared, never contacted.
test('join URLs use the LAN address when bound to 0.0.0.0, whatever the browser\'s address', async () => {
  const lan = Object.values(networkInterfaces()).flat().filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.address);
  const wide = await startServer({ args: ['--bind', '0.0.0.0'] });
  wide.url = wide.url.replace('//0.0.0.0:', '//127.0.0.1:');
  try {
    const port = new URL(wide.url).port;
    const ws = await createWorkshop(wide);
    const url = new URL(ws.join_url);
    if (lan.length) assert.ok(lan.includes(url.hostname), `${ws.join_url} is not on a LAN address (${lan})`);
    else assert.equal(url.hostname, '127.0.0.1');
    assert.equal(url.port, port);
    assert.equal(url.pathname, `/j/${ws.code}`);
    for (const host of ['localhost', `127.0.0.1:${port}`, 'dialog.example.se']) {
      assert.equal(await joinUrlVia(wide, ws, host), ws.join_url, `Host: ${host}`);
    }
  } finally {
    const { code } = await wide.stop();
    wide.cleanup();
    assert.equal(code, 0);
  }
});

test('join URLs follow the Host header only when bound to loopback', async () => {
  const ws = await createWorkshop(server);
  assert.equal(await joinUrlVia(server, ws, 'localhost:9999'), `http://localhost:9999/j/${ws.code}`);
});
