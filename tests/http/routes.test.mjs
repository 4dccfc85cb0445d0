// Every route of docs/API.md against the server's route table: a method a
// path does not take is 405 with exactly the right Allow, a facilitator
// route without a valid key is 401, a path no route has is 404 -- and in
// that order (405 before 401, 404 before either).  The list below mirrors
// docs/API.md; the first test checks that it still does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, api } from '../lib/server.mjs';

// [method, path as docs/API.md writes it, who may call].  Every GET route
// answers HEAD too.  Scope routes exist under /api/workshops/ID and /api/series/SID.
const ROUTES = [
  ['GET', '/api/health', 'participant'],
  ['GET', '/api/decision-kinds', 'participant'],
  ['GET', '/api/join/CODE', 'participant'],
  ['POST', '/api/answers', 'participant'],
  ['GET', '/api/join/CODE/qr.svg', 'participant'],
  ['GET', '/api/workshops/ID/events', 'participant'],
  ['GET', '/api/workshops/ID/words', 'participant'],
  ['POST', '/api/ballots', 'participant'],
  ['POST', '/api/workshops', 'facilitator'],
  ['GET', '/api/workshops', 'facilitator'],
  ['GET', '/api/workshops/ID', 'facilitator'],
  ['PATCH', '/api/workshops/ID', 'facilitator'],
  ['PATCH', '/api/questions/ID', 'facilitator'],
  ['PATCH', '/api/answers/ID', 'facilitator'],
  ['GET', '/api/workshops/ID/answers', 'facilitator'],
  ['POST', '/api/workshops/ID/votes', 'facilitator'],
  ['GET', '/api/workshops/ID/votes', 'facilitator'],
  ['PATCH', '/api/votes/VID', 'facilitator'],
  ['POST', '/api/series', 'facilitator'],
  ['GET', '/api/series', 'facilitator'],
  ['GET', '/api/series/SID', 'facilitator'],
  ...['/themes', '/decisions', '/themes-file', '/report'].flatMap((end) => [
    ['GET', `/api/workshops/ID${end}`, 'facilitator'],
    ['GET', `/api/series/SID${end}`, 'facilitator'],
  ]),
  ['POST', '/api/workshops/ID/decisions', 'facilitator'],
  ['POST', '/api/series/SID/decisions', 'facilitator'],
  ['POST', '/api/workshops/ID/close', 'facilitator'],
  ['POST', '/api/workshops/ID/reopen', 'facilitator'],
  ['DELETE', '/api/workshops/ID', 'facilitator'],
  ['DELETE', '/api/series/SID', 'facilitator'],
  ['POST', '/api/workshops/ID/erase', 'facilitator'],
];

const ORDER = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'];
const PROBES = [...ORDER, 'PUT', 'OPTIONS'];
const NOT_FOUND = '{"error":"not found"}';

// The methods of each path, HEAD with every GET, in the server's order.
const paths = new Map();
for (const [method, path] of ROUTES) {
  const set = paths.get(path) || new Set();
  set.add(method);
  if (method === 'GET') set.add('HEAD');
  paths.set(path, set);
}
const allow = (path) => ORDER.filter((m) => paths.get(path).has(m)).join(', ');

// A concrete URL for a documented path: ids that name nothing.
const concrete = (path) => path
  .replace(/\/(questions|answers|votes)\/(ID|VID)$/, '/$1/999999')
  .replace('/ID', '/nosuchworkshop00').replace('/SID', '/nosuchseries0000').replace('/CODE', '/ZZZZZZ');

const bodyFor = (method) => (method === 'GET' || method === 'HEAD' ? undefined : {});

let server;
before(async () => { server = await startServer(); });
after(async () => { const { code } = await server.stop(); server.cleanup(); assert.equal(code, 0); });

test('the list mirrors docs/API.md', () => {
  const doc = readFileSync(new URL('../../docs/API.md', import.meta.url), 'utf8');
  const documented = new Set();
  for (const line of doc.split('\n')) {
    for (const m of line.matchAll(/`(GET|HEAD|POST|PATCH|PUT|DELETE) (\/api\/[^`?\s]*)[^`]*`/g)) {
      documented.add(`${m[1]} ${m[2]}`);
      if (line.includes('*scope*')) documented.add(`${m[1]} ${m[2].replace('/api/workshops/ID', '/api/series/SID')}`);
    }
  }
  assert.deepEqual([...new Set(ROUTES.map(([m, p]) => `${m} ${p}`))].sort(), [...documented].sort());
});

test('a method a path does not take: 405 with the Allow of that path, before any key check', async () => {
  for (const path of paths.keys()) {
    for (const method of PROBES.filter((m) => !paths.get(path).has(m))) {
      for (const key of [server.key, undefined]) {
        const res = await api(server, method, concrete(path), { key, body: bodyFor(method) });
        const what = `${method} ${path}${key ? '' : ' without key'}`;
        assert.equal(res.status, 405, what);
        assert.equal(res.headers.get('allow'), allow(path), what);
        if (method !== 'HEAD') assert.equal(res.text, '{"error":"method not allowed"}', what);
      }
    }
  }
});

test('facilitator routes without a valid key: 401', async () => {
  for (const [method, path, who] of ROUTES) {
    if (who !== 'facilitator') continue;
    for (const m of method === 'GET' ? ['GET', 'HEAD'] : [method]) {
      for (const key of [undefined, 'x'.repeat(52)]) {
        const res = await api(server, m, concrete(path), { key, body: bodyFor(m) });
        const what = `${m} ${path}${key ? ' with a wrong key' : ''}`;
        assert.equal(res.status, 401, what);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer', what);
        if (m !== 'HEAD') assert.equal(res.text, '{"error":"a valid facilitator key is required"}', what);
      }
    }
  }
});

test('participant routes take no key', async () => {
  for (const [method, path, who] of ROUTES) {
    if (who !== 'participant') continue;
    const res = await api(server, method, concrete(path), { body: bodyFor(method) });
    assert.ok(![401, 405].includes(res.status), `${method} ${path}: ${res.status}`);
    assert.notEqual(res.text, NOT_FOUND, `${method} ${path} is a route`);
  }
});

test('a path no route has: 404, before any method or key check', async () => {
  const unknown = ['/api', '/api/', '/api/nope', '/api//health', '/api/health//', '/api/workshops/a/b/c/d',
    '/api/a/b/c/d/e', `/api/join/${'x'.repeat(129)}`];
  // Each route's path one segment longer, with its last or first segment changed: unless another route has it.
  const patterns = [...paths.keys()].map((p) => new RegExp(`^${p.replace(/\/(ID|VID|SID|CODE)(?=\/|$)/g, '/[^/]+')}/?$`));
  for (const path of paths.keys()) {
    const url = concrete(path);
    for (const candidate of [`${url}/x`, `${url}x`, url.replace(/^\/api\/[^/]+/, (s) => `${s}x`)]) {
      if (!patterns.some((re) => re.test(candidate))) unknown.push(candidate);
    }
  }
  for (const url of unknown) {
    for (const method of ['GET', 'POST', 'DELETE']) {
      for (const key of [server.key, undefined]) {
        const res = await api(server, method, url, { key, body: bodyFor(method) });
        assert.equal(res.status, 404, `${method} ${url}`);
        assert.equal(res.text, NOT_FOUND, `${method} ${url}`);
      }
    }
  }
});
