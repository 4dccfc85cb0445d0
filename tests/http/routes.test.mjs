// Every route of docs/API.md against the server's route table: a method a
// path does not take is 405 with exactly the right Allow, a facilitator
// route without a valid key is 401, a path no route has is 404 -- and in
// that order (405 before 401, 404 before either).  A second, scoped key gets
// 404 from every facilitator route that names another key's workshop,
// series, question, answer or vote, exactly as for one that does not exist.
// The list below mirrors docs/API.md; the first test checks that it still does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, api, makeKey } from '../lib/server.mjs';
import { answer, setOpen, getOnce } from './helpers.mjs';

// [method, path as docs/API.md writes it, who may call].  Every GET route
// answers HEAD too.  Scope routes exist under /api/workshops/ID and /api/series/SID.
const ROUTES = [
  ['GET', '/api/health', 'participant'],
  ['GET', '/api/decision-kinds', 'participant'],
  ['GET', '/api/join/CODE', 'participant'],
  ['POST', '/api/answers', 'participant'],
  ['GET', '/api/join/CODE/qr.svg', 'participant'],
  ['GET', '/api/workshops/ID/events', 'participant'],
  ['GET', '/api/workshops/ID/words', 'presenter'],
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
  ['POST', '/api/workshops/ID/presenter', 'facilitator'],
  ['GET', '/api/workshops/ID/audit', 'facilitator'],
  ['GET', '/api/series/SID/audit', 'facilitator'],
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

test('presenter routes without a key or the presenter link: 401', async () => {
  const presenter = [...ROUTES.filter(([, , who]) => who === 'presenter').map(([m, p]) => [m, concrete(p)]),
    ['GET', concrete('/api/workshops/ID/events?answers=1')]];
  for (const [method, url] of presenter) {
    for (const headers of [{}, { authorization: 'Presenter wrongsecret' }, { authorization: `Bearer ${'x'.repeat(52)}` }]) {
      const res = await getOnce(server, url, { headers });
      assert.equal(res.status, 401, `${method} ${url} ${JSON.stringify(headers)}`);
      assert.equal(res.text, '{"error":"a facilitator key or the presenter link is required"}');
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

// A concrete URL for a documented path naming the objects of `o`.
const named = (path, o) => path
  .replace(/^\/api\/questions\/ID$/, `/api/questions/${o.question}`)
  .replace(/^\/api\/answers\/ID$/, `/api/answers/${o.answer}`)
  .replace(/^\/api\/votes\/VID$/, `/api/votes/${o.vote}`)
  .replace('/ID', `/${o.workshop}`).replace('/SID', `/${o.series}`);

// A body the route would take, so that a refusal is about the key, not the body.
const goodBody = (method, path) => {
  if (method === 'GET' || method === 'HEAD') return undefined;
  if (path.startsWith('/api/questions/')) return { open: false };
  if (path.startsWith('/api/answers/')) return { hidden: true };
  if (path.startsWith('/api/votes/')) return { open: false };
  if (path.endsWith('/decisions')) return { kind: 'rename', theme: 'kontinuitet', label: 'Stulen rubrik' };
  if (path.endsWith('/votes')) return { dots: 3 };
  if (path === '/api/workshops/ID') return { series: null };
  if (path.endsWith('/presenter')) return undefined;
  return {};
};

test("a scoped key: every facilitator route naming another key's things is 404, as for nothing", async () => {
  const owner = makeKey(server.db);
  const other = makeKey(server.db);
  const created = await api(server, 'POST', '/api/workshops', { key: owner, body: { title: 'Annas workshop', template: 'primarvard' } });
  assert.equal(created.status, 201, created.text);
  const ws = created.json;
  const q = ws.questions[0];
  const series = await api(server, 'POST', '/api/series', { key: owner, body: { title: 'Annas serie' } });
  assert.equal(series.status, 201, series.text);
  assert.equal((await api(server, 'PATCH', `/api/questions/${q.id}`, { key: owner, body: { open: true } })).status, 200);
  const a = await answer(server, ws, { question_id: q.id, text: 'Kontinuitet med fast läkare.' });
  assert.equal(a.status, 201, a.text);
  const vote = await api(server, 'POST', `/api/workshops/${ws.id}/votes`, { key: owner, body: { dots: 3 } });
  assert.equal(vote.status, 201, vote.text);
  const mine = { workshop: ws.id, series: series.json.id, question: q.id, answer: a.json.id, vote: vote.json.id };
  const none = { workshop: 'nosuchworkshop00', series: 'nosuchseries0000', question: 999999, answer: 999999, vote: 999999 };

  let checked = 0;
  for (const [method, path, who] of ROUTES) {
    if (who !== 'facilitator' || !/\/(ID|SID|VID)(\/|$)/.test(path)) continue;
    for (const m of method === 'GET' ? ['GET', 'HEAD'] : [method]) {
      const body = goodBody(m, path);
      const theirs = await api(server, m, named(path, mine), { key: other, body });
      const nothing = await api(server, m, named(path, none), { key: other, body });
      const what = `${m} ${path}`;
      assert.equal(theirs.status, 404, `${what}: ${theirs.text}`);
      assert.equal(theirs.text, nothing.text, `${what}: the same answer as for nothing`);
      assert.equal(nothing.status, 404, what);
      checked += 1;
    }
  }
  assert.ok(checked >= 25, `only ${checked} routes checked`);

  // The owner reaches every one of those (so the 404s above were about the key).
  for (const [method, path, who] of ROUTES) {
    if (who !== 'facilitator' || !/\/(ID|SID|VID)(\/|$)/.test(path) || method !== 'GET') continue;
    const res = await api(server, 'GET', named(path, mine), { key: owner });
    assert.notEqual(res.status, 404, `${path} for its owner: ${res.text}`);
  }
  // Nothing the other key tried changed anything.
  const after = await api(server, 'GET', `/api/workshops/${ws.id}`, { key: owner });
  assert.equal(after.json.questions[0].open, true);
  assert.equal(after.json.questions[0].answers, 1);
  const decisions = await api(server, 'GET', `/api/workshops/${ws.id}/decisions`, { key: owner });
  assert.equal(decisions.json.decisions.length, 0);
  const votes = await api(server, 'GET', `/api/workshops/${ws.id}/votes`, { key: owner });
  assert.equal(votes.json.votes[0].open, true);
  // The presenter's view of the workshop is closed to the other key as well.
  for (const url of [`/api/workshops/${ws.id}/words`, `/api/workshops/${ws.id}/events?answers=1`]) {
    const res = await getOnce(server, url, { key: other });
    assert.equal(res.status, 404, url);
    assert.equal(res.text, '{"error":"no such workshop"}');
  }

  // Lists show each key its own; the admin key sees every one.
  const ids = async (key, what) => (await api(server, 'GET', `/api/${what}`, { key })).json[what].map((x) => x.id);
  assert.deepEqual(await ids(other, 'workshops'), []);
  assert.deepEqual(await ids(other, 'series'), []);
  assert.deepEqual(await ids(owner, 'workshops'), [ws.id]);
  assert.deepEqual(await ids(owner, 'series'), [series.json.id]);
  assert.ok((await ids(server.key, 'workshops')).includes(ws.id));
  assert.ok((await ids(server.key, 'series')).includes(series.json.id));

  // A series named in a body is checked like one in a path.
  const own = await api(server, 'POST', '/api/workshops', { key: other, body: { title: 'Bos workshop', template: 'primarvard' } });
  const put = await api(server, 'PATCH', `/api/workshops/${own.json.id}`, { key: other, body: { series: series.json.id } });
  assert.equal(put.status, 404);
  assert.equal(put.text, '{"error":"no such series"}');
  assert.deepEqual(await ids(other, 'workshops'), [own.json.id]);
  await setOpen(server, q.id, false); // the admin key may change it
});
