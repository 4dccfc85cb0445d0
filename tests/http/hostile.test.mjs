// Hostile input as a table: each kind of malformed, oversized, mistyped or
// malicious request gets its documented status (docs/API.md, "Errors" and
// "Refused before any route"), the server answers a health check after
// every one, slow clients do not stop it serving others, no request data
// reaches a response header, and at the end the database (read with the
// sqlite3 CLI) holds exactly what was meant to be stored.
//
// Requests go over raw sockets, byte for byte, so nothing (fetch, URL
// parsing) normalises the hostile parts away.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { startServer, api, stopServers } from '../lib/server.mjs';
import { createWorkshop, setOpen } from './helpers.mjs';

let server;
let ws;     // the workshop the phones' requests aim at; question 0 is open
let other;  // a second workshop, its first question open
const stored = [];  // answer_ids the table means to store
let seq = 0;
const aid = () => `hostile-${String(++seq).padStart(6, '0')}`;

// Send `bytes` on a new connection and read until the server closes it (every
// request says Connection: close) or `ms` pass.  {status (0: closed without
// a reply, -1: no reply in time), head, headers (lower-case name -> value), body}.
function send(bytes, ms = 10000) {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve) => {
    const sock = net.connect(Number(port), hostname, () => sock.write(bytes));
    let data = Buffer.alloc(0);
    let timer = null;
    const done = (status) => {
      clearTimeout(timer);
      const text = data.toString('utf8');
      const i = text.indexOf('\r\n\r\n');
      const head = i >= 0 ? text.slice(0, i) : text;
      const headers = {};
      for (const line of head.split('\r\n').slice(1)) {
        const c = line.indexOf(':');
        if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
      }
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: status ?? (m ? Number(m[1]) : 0), head, headers, body: i >= 0 ? text.slice(i + 4) : '' });
    };
    timer = setTimeout(() => { sock.destroy(); done(-1); }, ms);
    sock.on('data', (d) => { data = Buffer.concat([data, d]); });
    sock.on('error', () => {});
    sock.on('close', () => done());
  });
}

// A request as bytes: `body` (string or Buffer) gets a Content-Length unless
// `headers` has one or a Transfer-Encoding; `key` adds the Bearer header.
function request(method, path, { headers = {}, body, key, version = 'HTTP/1.1' } = {}) {
  const h = { Host: '127.0.0.1', Connection: 'close', ...headers };
  if (key) h.Authorization = `Bearer ${key}`;
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const named = Object.keys(h).map((k) => k.toLowerCase());
  if (body !== undefined && !named.includes('content-length') && !named.includes('transfer-encoding')) {
    h['Content-Length'] = String(payload.length);
  }
  const head = `${method} ${path} ${version}\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

// A phone's answer to the open question, with `fields` over the valid ones, as a JSON text.
function answerJson(fields = {}) {
  return JSON.stringify({ code: ws.code, question_id: ws.questions[0].id, answer_id: aid(), text: 'Kontinuitet', ...fields });
}

// POST /api/answers with `body` (any bytes) declared as JSON unless `headers` says otherwise.
function postAnswer(body, headers = JSON_TYPE) {
  return request('POST', '/api/answers', { headers, body });
}

// An answer whose text is `before` + raw bytes `bytes` + `after`: for encodings JSON.stringify cannot write.
function answerWithBytes(bytes) {
  const [head, tail] = answerJson({ text: '@' }).split('"@"');
  return postAnswer(Buffer.concat([Buffer.from(`${head}"a`), Buffer.from(bytes), Buffer.from(`b"${tail}`)]));
}

const nested = (depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const errorBody = (r) => { assert.equal(typeof JSON.parse(r.body).error, 'string', r.body); };

// kind: what is tried; status: docs/API.md's answer (0: the connection is
// closed without a reply, for what is not HTTP); bytes(): the request;
// check(r): more to require of the reply.  `ours` marks replies from the
// route code, whose body is always {"error": "..."}.
const CASES = [
  // The body: JSON and its shape (400), before any field rule.
  { kind: 'malformed JSON', status: 400, ours: true, bytes: () => postAnswer('{"code": "ABC", "text": ') },
  { kind: 'empty body', status: 400, ours: true, bytes: () => postAnswer('') },
  { kind: 'body is an array', status: 400, ours: true, bytes: () => postAnswer('[]') },
  { kind: 'body is a string', status: 400, ours: true, bytes: () => postAnswer('"Kontinuitet"') },
  { kind: 'two JSON objects in one body', status: 400, ours: true, bytes: () => postAnswer(answerJson() + answerJson()) },
  { kind: 'trailing garbage after the object', status: 400, ours: true, bytes: () => postAnswer(`${answerJson()} garbage`) },
  { kind: 'byte order mark before the JSON', status: 400, ours: true, bytes: () => postAnswer(`\uFEFF${answerJson()}`) },
  { kind: 'duplicate JSON keys', status: 400, ours: true, bytes: () => postAnswer(answerJson().replace('{', '{"text": "Dolt svar", ')) },
  { kind: 'deep nesting (5000 levels, inside the size cap)', status: 400, ours: true, bytes: () => postAnswer(answerJson().replace('{', `{"extra": ${nested(5000)}, `)) },
  { kind: 'deep nesting over the size cap', status: 413, ours: true, bytes: () => postAnswer(nested(100000)) },
  // Wrong types (400).
  { kind: 'text is a number', status: 400, ours: true, bytes: () => postAnswer(answerJson({ text: 5 })) },
  { kind: 'text is null', status: 400, ours: true, bytes: () => postAnswer(answerJson({ text: null })) },
  { kind: 'text is an array', status: 400, ours: true, bytes: () => postAnswer(answerJson({ text: ['a', 'b'] })) },
  { kind: 'text is an object', status: 400, ours: true, bytes: () => postAnswer(answerJson({ text: { $gt: '' } })) },
  { kind: 'question_id is a string', status: 400, ours: true, bytes: () => postAnswer(answerJson({ question_id: String(ws.questions[0].id) })) },
  { kind: 'question_id is a fraction', status: 400, ours: true, bytes: () => postAnswer(answerJson({ question_id: 1.5 })) },
  { kind: 'huge number (1e400)', status: 400, ours: true, bytes: () => postAnswer(answerJson().replace(/"question_id":\d+/, '"question_id":1e400')) },
  { kind: 'integer beyond 64 bits', status: 400, ours: true, bytes: () => postAnswer(answerJson().replace(/"question_id":\d+/, '"question_id":99999999999999999999999999')) },
  { kind: 'ballot dots beyond 64 bits', status: 400, ours: true, bytes: () => request('POST', '/api/ballots', { headers: JSON_TYPE, body: `{"code": "${ws.code}", "vote_id": 1, "client_id": "hostilephone1", "dots": {"kontinuitet": 99999999999999999999}}` }) },
  { kind: 'hidden is a string', status: 400, ours: true, bytes: () => request('PATCH', '/api/answers/1', { key: server.key, headers: JSON_TYPE, body: '{"hidden": "yes"}' }) },
  // Ids that name nothing (404).
  { kind: 'negative question_id', status: 404, ours: true, bytes: () => postAnswer(answerJson({ question_id: -1 })) },
  { kind: 'question_id zero', status: 404, ours: true, bytes: () => postAnswer(answerJson({ question_id: 0 })) },
  { kind: 'question of another workshop', status: 404, ours: true, bytes: () => postAnswer(answerJson({ question_id: other.questions[0].id })) },
  { kind: 'SQL in the join code', status: 404, ours: true, bytes: () => postAnswer(answerJson({ code: "' OR 1=1 --" })) },
  { kind: 'negative answer id in the path', status: 404, ours: true, bytes: () => request('PATCH', '/api/answers/-1', { key: server.key, headers: JSON_TYPE, body: '{"hidden": true}' }) },
  { kind: 'answer id beyond 64 bits in the path', status: 404, ours: true, bytes: () => request('PATCH', '/api/answers/99999999999999999999999', { key: server.key, headers: JSON_TYPE, body: '{"hidden": true}' }) },
  { kind: 'hexadecimal answer id in the path', status: 404, ours: true, bytes: () => request('PATCH', '/api/answers/0x1', { key: server.key, headers: JSON_TYPE, body: '{"hidden": true}' }) },
  { kind: 'question_id in a query is not a number', status: 404, ours: true, bytes: () => request('GET', `/api/workshops/${ws.id}/words?question_id=1%20OR%201=1`, { key: server.key }) },
  // NUL bytes and encodings.
  { kind: 'raw NUL byte inside a JSON string', status: 400, ours: true, bytes: () => answerWithBytes([0]) },
  { kind: 'escaped NUL (\\u0000) in text', status: 400, ours: true, bytes: () => postAnswer(answerJson({ text: 'a\u0000b' })) },
  { kind: 'invalid UTF-8', status: 422, ours: true, bytes: () => answerWithBytes([0xc3, 0x28]) },
  { kind: 'overlong UTF-8 ("/" as C0 AF)', status: 422, ours: true, bytes: () => answerWithBytes([0xc0, 0xaf]) },
  { kind: 'UTF-16 surrogate encoded in UTF-8', status: 422, ours: true, bytes: () => answerWithBytes([0xed, 0xa0, 0x80]) },
  // Field rules (422).
  { kind: 'text only white space', status: 422, ours: true, bytes: () => postAnswer(answerJson({ text: ' \t\n\u00a0 ' })) },
  { kind: 'text over 1000 characters', status: 422, ours: true, bytes: () => postAnswer(answerJson({ text: 'å'.repeat(1001) })) },
  { kind: 'path traversal as answer_id', status: 422, ours: true, bytes: () => postAnswer(answerJson({ answer_id: '../../etc/passwd' })) },
  { kind: 'client_id with a space', status: 422, ours: true, bytes: () => postAnswer(answerJson({ client_id: 'phone 0001' })) },
  { kind: 'group over 60 characters', status: 422, ours: true, bytes: () => postAnswer(answerJson({ group: 'g'.repeat(61) })) },
  { kind: 'organisation not in the workshop\'s list', status: 422, ours: true, bytes: () => postAnswer(answerJson({ organisation: 'Hackers' })) },
  { kind: 'title over 200 characters', status: 422, ours: true, bytes: () => request('POST', '/api/workshops', { key: server.key, headers: JSON_TYPE, body: JSON.stringify({ title: 'x'.repeat(201), template: 'primarvard' }) }) },
  { kind: '51 organisations', status: 422, ours: true, bytes: () => request('POST', '/api/workshops', { key: server.key, headers: JSON_TYPE, body: JSON.stringify({ title: 'x', questions: [{ text: 'q' }], organisations: Array.from({ length: 51 }, (_, i) => `o${i}`) }) }) },
  { kind: 'unknown decision kind', status: 422, ours: true, bytes: () => request('POST', `/api/workshops/${ws.id}/decisions`, { key: server.key, headers: JSON_TYPE, body: '{"kind": "drop table"}' }) },
  { kind: 'template name as a path', status: 400, ours: true, bytes: () => request('POST', '/api/workshops', { key: server.key, headers: JSON_TYPE, body: '{"title": "x", "template": "../../etc/passwd"}' }) },
  // Unknown fields are ignored: the answer is stored as if they were absent (visible, its own id).
  {
    kind: 'unknown fields (hidden, id, admin)', status: 201, ours: true,
    bytes: () => { const id = aid(); stored.push(id); return postAnswer(answerJson({ answer_id: id, hidden: true, id: 999999, admin: true })); },
    check: (r) => { const a = JSON.parse(r.body); assert.equal(a.hidden, false); assert.notEqual(a.id, 999999); },
  },
  // Content-Type (415).
  { kind: 'Content-Type text/plain', status: 415, ours: true, bytes: () => postAnswer(answerJson(), { 'Content-Type': 'text/plain' }) },
  { kind: 'no Content-Type', status: 415, ours: true, bytes: () => postAnswer(answerJson(), {}) },
  { kind: 'Content-Type application/jsonx', status: 415, ours: true, bytes: () => postAnswer(answerJson(), { 'Content-Type': 'application/jsonx' }) },
  { kind: 'form-encoded body', status: 415, ours: true, bytes: () => postAnswer('code=ABC&text=x', { 'Content-Type': 'application/x-www-form-urlencoded' }) },
  // Sizes.
  { kind: 'body over 64 KiB', status: 413, ours: true, bytes: () => postAnswer(answerJson({ text: 'x'.repeat(70000) })) },
  { kind: 'Content-Length of 2^64 - 1', status: 413, ours: true, bytes: () => postAnswer('{}', { ...JSON_TYPE, 'Content-Length': '18446744073709551615' }) },
  { kind: 'Content-Length beyond 64 bits', status: 413, bytes: () => postAnswer('{}', { ...JSON_TYPE, 'Content-Length': '99999999999999999999999' }) },
  { kind: 'chunked body over 64 KiB', status: 413, ours: true, bytes: () => postAnswer(`${Array.from({ length: 80 }, () => `400\r\n${'a'.repeat(1024)}\r\n`).join('')}0\r\n\r\n`, { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' }) },
  { kind: 'headers over 16 KiB', status: 431, bytes: () => request('GET', '/api/health', { headers: { 'X-Big': 'a'.repeat(20000) } }) },
  { kind: '2000 headers', status: 431, bytes: () => request('GET', '/api/health', { headers: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`X-H${i}`, 'v'])) }) },
  { kind: 'URL of 20000 characters', status: 414, bytes: () => request('GET', `/api/join/${'A'.repeat(20000)}`) },
  { kind: 'Facilitator key of 10 KB', status: 401, ours: true, bytes: () => request('GET', '/api/workshops', { key: 'k'.repeat(10000) }) },
  // HTTP framing (refused by libmicrohttpd before any route).
  { kind: 'negative Content-Length', status: 400, bytes: () => postAnswer('{}', { ...JSON_TYPE, 'Content-Length': '-1' }) },
  { kind: 'Content-Length and Transfer-Encoding (smuggling)', status: 400, bytes: () => postAnswer('0\r\n\r\n', { ...JSON_TYPE, 'Content-Length': '4', 'Transfer-Encoding': 'chunked' }) },
  { kind: 'bad chunk size', status: 400, bytes: () => postAnswer('ZZZ\r\nabc\r\n0\r\n\r\n', { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' }) },
  { kind: 'HTTP/0.9 request line', status: 400, bytes: () => Buffer.from('GET /\r\n\r\n') },
  { kind: 'HTTP/2.0 on an HTTP/1 connection', status: 505, bytes: () => request('GET', '/', { version: 'HTTP/2.0' }) },
  { kind: 'not HTTP at all', status: 0, bytes: () => Buffer.from('\x16\x03\x01\x02\x00GARBAGE\r\n\r\n', 'latin1') },
  // Path traversal: pages and API.
  { kind: 'page path ../../etc/passwd', status: 404, ours: true, bytes: () => request('GET', '/../../../etc/passwd') },
  { kind: 'page path %2e%2e encoded', status: 404, ours: true, bytes: () => request('GET', '/%2e%2e/%2e%2e/etc/passwd') },
  { kind: 'page path out of js/ into the sources', status: 404, ours: true, bytes: () => request('GET', '/js/../../server/main.c') },
  { kind: 'page path with encoded backslashes', status: 404, ours: true, bytes: () => request('GET', '/..%5c..%5cetc%5cpasswd') },
  { kind: 'hidden file .git/config', status: 404, ours: true, bytes: () => request('GET', '/.git/config') },
  // libmicrohttpd decodes %00 into a NUL, which ends the path: what follows is never read.
  { kind: 'NUL in the path', status: 200, bytes: () => request('GET', '/index.html%00/../../etc/passwd'), check: (r) => assert.match(r.body, /^<!doctype html>/i) },
  { kind: 'NUL in an API path', status: 404, ours: true, bytes: () => request('GET', '/api/join/ZZZZZZ%00/../../keys') },
  { kind: 'absolute-form URL', status: 404, ours: true, bytes: () => request('GET', 'http://evil.example/etc/passwd') },
  { kind: 'API path ../../etc/passwd', status: 404, ours: true, bytes: () => request('GET', '/api/workshops/../../etc/passwd') },
  { kind: 'API path with encoded ../', status: 404, ours: true, bytes: () => request('GET', '/api/workshops/%2e%2e%2fkeys/answers', { key: server.key }) },
  { kind: 'join code as a path', status: 404, ours: true, bytes: () => request('GET', '/api/join/..%2f..%2fetc%2fpasswd') },
  { kind: 'report format as a path', status: 400, ours: true, bytes: () => request('GET', `/api/workshops/${ws.id}/report?format=../../etc/passwd`, { key: server.key }) },
  // Methods (405 with Allow).
  { kind: 'DELETE an answers collection', status: 405, ours: true, bytes: () => request('DELETE', '/api/answers'), check: (r) => assert.equal(r.headers.allow, 'POST') },
  { kind: 'OPTIONS on the API', status: 405, ours: true, bytes: () => request('OPTIONS', '/api/answers'), check: (r) => assert.equal(r.headers.allow, 'POST') },
  { kind: 'TRACE on a page', status: 405, bytes: () => request('TRACE', '/'), check: (r) => assert.equal(r.headers.allow, 'GET, HEAD') },
  { kind: 'PUT on a page', status: 405, bytes: () => request('PUT', '/console', { body: 'x' }), check: (r) => assert.equal(r.headers.allow, 'GET, HEAD') },
  { kind: 'invented method', status: 405, bytes: () => request('FOO', '/') },
  // Keys (401 with WWW-Authenticate).
  { kind: 'facilitator route without a key', status: 401, ours: true, bytes: () => request('GET', '/api/workshops'), check: (r) => assert.equal(r.headers['www-authenticate'], 'Bearer') },
  { kind: 'wrong key', status: 401, ours: true, bytes: () => request('GET', '/api/workshops', { key: 'x'.repeat(43) }) },
  { kind: 'key sent as Basic', status: 401, ours: true, bytes: () => request('GET', '/api/workshops', { headers: { Authorization: `Basic ${server.key}` } }) },
  { kind: 'key in the query string', status: 401, ours: true, bytes: () => request('GET', `/api/workshops?key=${server.key}`) },
  { kind: 'CR inside the key header', status: 401, ours: true, bytes: () => request('GET', '/api/workshops', { headers: { Authorization: `Bearer ${server.key}\rX: y` } }) },
];

before(async () => {
  server = await startServer();
  ws = await createWorkshop(server, { title: 'Hostile', template: 'primarvard' });
  await setOpen(server, ws.questions[0].id, true);
  other = await createWorkshop(server, { title: 'Other', template: 'primarvard' });
  await setOpen(server, other.questions[0].id, true);
  // One answer stored on purpose, so the checks at the end see real rows as well as refused ones.
  const id = aid();
  const ok = await api(server, 'POST', '/api/answers', { body: { code: ws.code, question_id: ws.questions[0].id, answer_id: id, text: 'Kontinuitet' } });
  assert.equal(ok.status, 201, ok.text);
  stored.push(id);
});

after(async () => {
  await stopServers(server);
});

async function assertServing(after) {
  const h = await api(server, 'GET', '/api/health');
  assert.equal(h.status, 200, `the server stopped serving after: ${after}`);
}

test(`hostile requests: ${CASES.length} kinds, each with its documented status, the server serving after each`, async (t) => {
  assert.ok(CASES.length >= 30);
  let refused = 0;
  for (const c of CASES) {
    await t.test(c.kind, async () => {
      const r = await send(c.bytes());
      assert.equal(r.status, c.status, `${c.kind}: ${r.head.split('\r\n')[0]} ${r.body.slice(0, 200)}`);
      if (c.ours && c.status >= 400) errorBody(r);
      if (c.check) c.check(r);
      if (c.status === 0 || c.status >= 400) refused++;
      await assertServing(c.kind);
    });
  }
  t.diagnostic(`hostile: ${CASES.length} kinds tried, ${refused} refused, ${CASES.length - refused} accepted as documented, served after all ${CASES.length}`);
});

test('slow clients (a header byte a second) do not stop the server serving others', async () => {
  const SLOW = 30;
  const { hostname, port } = new URL(server.url);
  const line = `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'s'.repeat(40)}\r\n\r\n`;
  const sockets = [];
  let closedEarly = 0;
  for (let i = 0; i < SLOW; i++) {
    const s = net.connect(Number(port), hostname);
    s.on('error', () => {});
    s.on('close', () => { if (!s.finished) closedEarly++; });
    sockets.push(s);
  }
  // And one slow body: the headers at once, then the body a byte a second.
  const body = answerJson();
  const slowBody = net.connect(Number(port), hostname, () => slowBody.write(`POST /api/answers HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`));
  slowBody.on('error', () => {});
  sockets.push(slowBody);
  let sent = 0;
  const drip = setInterval(() => {
    for (const s of sockets.slice(0, SLOW)) if (!s.destroyed) s.write(line[sent % line.length]);
    if (!slowBody.destroyed) slowBody.write(body[sent % body.length]);
    sent++;
  }, 1000);
  try {
    // Six seconds of normal traffic while they drip: health, a page, a join, an answer.
    const deadline = Date.now() + 6000;
    let rounds = 0;
    while (Date.now() < deadline) {
      await assertServing('slow clients connected');
      assert.equal((await api(server, 'GET', `/api/join/${ws.code}`)).status, 200);
      const page = await fetch(`${server.url}/`);
      assert.equal(page.status, 200);
      await page.arrayBuffer();
      rounds++;
      await new Promise((r) => { setTimeout(r, 300); });
    }
    const id = aid();
    const a = await api(server, 'POST', '/api/answers', { body: { code: ws.code, question_id: ws.questions[0].id, answer_id: id, text: 'Under långsamma klienter' } });
    assert.equal(a.status, 201, a.text);
    stored.push(id);
    assert.ok(rounds >= 2, `served ${rounds} rounds`);
    assert.ok(sent >= 3, 'the slow clients dripped while the others were served');
  } finally {
    clearInterval(drip);
    for (const s of sockets) s.destroy();
  }
});

test('request data never becomes a response header (CRLF injection)', async () => {
  // A title with CR LF and a header after it: the report's file name is made from the title.
  const evil = await api(server, 'POST', '/api/workshops', {
    key: server.key, body: { title: 'Evil\r\nSet-Cookie: stolen=1\r\nX-Injected: yes', template: 'primarvard' },
  });
  assert.equal(evil.status, 201, evil.text);
  const r = await send(request('GET', `/api/workshops/${evil.json.id}/report?format=csv`, { key: server.key }));
  assert.equal(r.status, 200);
  assert.match(r.headers['content-disposition'], /^attachment; filename="[a-z0-9.-]+"$/);
  assert.equal(r.headers['set-cookie'], undefined);
  assert.equal(r.headers['x-injected'], undefined);
  // A header the client sends with a bare CR is not echoed either.
  const h = await send(request('GET', '/api/health', { headers: { 'X-Trace': 'a\rSet-Cookie: stolen=1' } }));
  assert.equal(h.status, 200);
  assert.equal(h.headers['set-cookie'], undefined);
  await assertServing('CRLF injection');
});

test('the database holds what was meant to be stored and nothing else', () => {
  const sql = (q) => execFileSync('sqlite3', [server.db, q], { encoding: 'utf8' }).trim();
  assert.equal(sql('PRAGMA integrity_check'), 'ok');
  assert.deepEqual(sql('SELECT answer_id FROM answers ORDER BY answer_id').split('\n'), [...stored].sort());
  assert.equal(sql('SELECT count(*) FROM answers WHERE hidden != 0'), '0', 'no answer was hidden by a phone');
  assert.equal(sql("SELECT count(*) FROM answers WHERE text != 'Kontinuitet' AND text != 'Under långsamma klienter'"), '0');
  assert.equal(sql('SELECT count(*) FROM keys'), '1', 'no key was made');
  assert.deepEqual(sql('SELECT title FROM workshops ORDER BY pk').split('\n').slice(0, 2), ['Hostile', 'Other']);
  assert.equal(sql('SELECT count(*) FROM workshops'), '3', 'only the CRLF test\'s workshop besides the two');
  for (const table of ['decisions', 'votes', 'ballots', 'series']) assert.equal(sql(`SELECT count(*) FROM ${table}`), '0', table);
});
