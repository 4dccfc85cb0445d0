// Routes of docs/API.md: facilitator auth, workshop objects, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, api, makeKey, BIN } from '../lib/server.mjs';
import { createWorkshop, setOpen, answer } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { const { code } = await server.stop(); server.cleanup(); assert.equal(code, 0); });

test('health', async () => {
  const res = await api(server, 'GET', '/api/health');
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { ok: true });
  assert.match(res.headers.get('content-type'), /application\/json/);
});

test('facilitator routes need a valid key', async () => {
  const routes = [
    ['GET', '/api/workshops'], ['POST', '/api/workshops'], ['GET', '/api/workshops/abc'],
    ['GET', '/api/workshops/abc/answers'], ['PATCH', '/api/questions/1'], ['PATCH', '/api/answers/1'],
  ];
  for (const [method, path] of routes) {
    const body = method === 'GET' ? undefined : {};
    const none = await api(server, method, path, { body });
    assert.equal(none.status, 401, `${method} ${path} without key`);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    assert.ok(none.json.error);
    const wrong = await api(server, method, path, { body, key: 'x'.repeat(52) });
    assert.equal(wrong.status, 401, `${method} ${path} with a wrong key`);
    const malformed = await api(server, method, path, { body, headers: { authorization: `Basic ${server.key}` } });
    assert.equal(malformed.status, 401, `${method} ${path} with a non-Bearer header`);
  }
});

test('a revoked key is refused', async () => {
  const key = makeKey(server.db);
  assert.equal((await api(server, 'GET', '/api/workshops', { key })).status, 200);
  const list = execFileSync(BIN, ['keys', 'list', '--db', server.db], { encoding: 'utf8' });
  const id = list.trim().split('\n').pop().split(/\s+/)[0];
  execFileSync(BIN, ['keys', 'revoke', '--db', server.db, id]);
  assert.match(execFileSync(BIN, ['keys', 'list', '--db', server.db], { encoding: 'utf8' }), /revoked/);
  const routes = [
    ['GET', '/api/workshops'], ['POST', '/api/workshops'], ['GET', '/api/workshops/abc'],
    ['GET', '/api/workshops/abc/answers'], ['PATCH', '/api/questions/1'], ['PATCH', '/api/answers/1'],
  ];
  for (const [method, path] of routes) {
    const res = await api(server, method, path, { key, body: method === 'GET' ? undefined : {} });
    assert.equal(res.status, 401, `${method} ${path} with a revoked key`);
  }
  // The other keys keep working.
  assert.equal((await api(server, 'GET', '/api/workshops', { key: server.key })).status, 200);
});

test('create from template, get, list, join', async () => {
  const ws = await createWorkshop(server);
  assert.match(ws.id, /^[a-z2-7]{16}$/);
  assert.match(ws.code, /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
  assert.deepEqual(ws.organisations, ['Region', 'Kommun', 'Skola', 'Privat vårdgivare', 'Annan']);
  assert.equal(ws.questions.length, 4);
  assert.equal(ws.questions[0].section, 'Dialog 1');
  assert.equal(ws.questions[2].section, 'Dialog 2');
  assert.ok(ws.questions[3].text.includes('BORDE/HAR VISIONER'));
  assert.ok(ws.questions.every((q) => q.open === false && q.answers === 0));
  assert.equal(ws.join_url, `${server.url}/j/${ws.code}`);
  assert.match(ws.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const got = await api(server, 'GET', `/api/workshops/${ws.id}`, { key: server.key });
  assert.equal(got.status, 200);
  assert.equal(got.json.questions[0].hidden, 0);

  const list = await api(server, 'GET', '/api/workshops', { key: server.key });
  assert.equal(list.status, 200);
  assert.equal(list.json.workshops[0].id, ws.id, 'newest first');

  const join = await api(server, 'GET', `/api/join/${ws.code.toLowerCase()}`);
  assert.equal(join.status, 200);
  assert.equal(join.json.id, ws.id);
  assert.equal(join.json.questions[0].answers, undefined);
  assert.equal((await api(server, 'GET', '/api/join/ZZZZZZ')).status, 404);
  assert.equal((await api(server, 'GET', '/api/join/bad')).status, 404);
});

test('create with own questions and organisations; public join URL', async () => {
  const ws = await createWorkshop(server, {
    title: '  Dialog  Säffle ', questions: [{ section: 'A', text: 'Vad är viktigast?' }, { text: 'Och sen?' }],
    organisations: [],
  });
  assert.equal(ws.title, 'Dialog  Säffle');
  assert.deepEqual(ws.organisations, []);
  assert.equal(ws.questions[1].section, '');
  assert.equal(ws.questions[1].position, 2);
});

test('workshop creation errors', async () => {
  const k = { key: server.key };
  const cases = [
    [400, { template: 'primarvard' }],
    [400, { title: 'x', template: 'nosuch' }],
    [400, { title: 'x' }],
    [400, { title: 'x', questions: 'no' }],
    [400, { title: 'x', questions: [{ section: 'a' }] }],
    [400, { title: 'x', template: 'primarvard', organisations: [1] }],
    [422, { title: '', template: 'primarvard' }],
    [422, { title: '   ', template: 'primarvard' }],
    [422, { title: 'å'.repeat(201), template: 'primarvard' }],
    [422, { title: 'x', questions: [] }],
    [422, { title: 'x', questions: [{ text: '' }] }],
    [422, { title: 'x', questions: [{ text: 'q'.repeat(501) }] }],
    [422, { title: 'x', template: 'primarvard', organisations: ['o'.repeat(61)] }],
  ];
  for (const [status, body] of cases) {
    const res = await api(server, 'POST', '/api/workshops', { ...k, body });
    assert.equal(res.status, status, JSON.stringify(body));
    assert.equal(typeof res.json.error, 'string');
  }
  const t200 = await api(server, 'POST', '/api/workshops', { ...k, body: { title: 'å'.repeat(200), template: 'primarvard' } });
  assert.equal(t200.status, 201);
});

test('malformed JSON, wrong content type, oversized bodies', async () => {
  const k = { key: server.key };
  const bad = await api(server, 'POST', '/api/workshops', { ...k, raw: '{"title": ', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);
  const arr = await api(server, 'POST', '/api/workshops', { ...k, raw: '[1]', headers: { 'content-type': 'application/json' } });
  assert.equal(arr.status, 400);
  const noType = await api(server, 'POST', '/api/workshops', { ...k, raw: '{"title":"x","template":"primarvard"}', headers: { 'content-type': 'text/plain' } });
  assert.equal(noType.status, 415);
  const jsonish = await api(server, 'POST', '/api/answers', { raw: '{}', headers: { 'content-type': 'application/jsonx' } });
  assert.equal(jsonish.status, 415);
  const patch = await api(server, 'PATCH', '/api/questions/1', { ...k, raw: '{"open":true}' });
  assert.equal(patch.status, 415);
  const big = await api(server, 'POST', '/api/answers', { raw: JSON.stringify({ text: 'x'.repeat(70000) }), headers: { 'content-type': 'application/json' } });
  assert.equal(big.status, 413);
  assert.ok(big.json.error);
});

test('oversized chunked body without Content-Length', async () => {
  const { request } = await import('node:http');
  const status = await new Promise((resolve, reject) => {
    const req = request(`${server.url}/api/answers`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', reject);
    for (let i = 0; i < 10; i++) req.write('x'.repeat(8000));
    req.end();
  });
  assert.equal(status, 413);
});

test('unknown routes 404, wrong methods 405 with Allow', async () => {
  assert.equal((await api(server, 'GET', '/api/nope')).status, 404);
  assert.equal((await api(server, 'GET', '/api/')).status, 404);
  assert.equal((await api(server, 'GET', '/api/workshops/a/b/c/d')).status, 404);
  const ws = await createWorkshop(server);
  assert.equal((await api(server, 'GET', '/api/workshops/nosuchworkshop00', { key: server.key })).status, 404);
  assert.equal((await api(server, 'GET', '/api/workshops/nosuchworkshop00/answers', { key: server.key })).status, 404);
  assert.equal((await api(server, 'GET', '/api/workshops/nosuchworkshop00/events')).status, 404);
  assert.equal((await api(server, 'GET', '/api/workshops/nosuchworkshop00/words', { key: server.key })).status, 404);
  assert.equal((await api(server, 'PATCH', '/api/questions/99999', { key: server.key, body: { open: true } })).status, 404);
  assert.equal((await api(server, 'PATCH', '/api/questions/abc', { key: server.key, body: { open: true } })).status, 404);
  assert.equal((await api(server, 'PATCH', '/api/answers/99999', { key: server.key, body: { hidden: true } })).status, 404);
  assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}/words?question_id=99999`, { key: server.key })).status, 404);

  const cases = [
    ['GET', '/api/answers', 'POST'], ['DELETE', '/api/workshops', 'GET, HEAD, POST'],
    ['POST', '/api/health', 'GET, HEAD'], ['PUT', `/api/workshops/${ws.id}`, 'GET, HEAD, PATCH, DELETE'],
    ['GET', '/api/questions/1', 'PATCH'], ['POST', `/api/join/${ws.code}`, 'GET, HEAD'],
  ];
  for (const [method, path, allow] of cases) {
    const res = await api(server, method, path, { key: server.key, body: method === 'GET' ? undefined : {} });
    assert.equal(res.status, 405, `${method} ${path}`);
    assert.equal(res.headers.get('allow'), allow);
  }
});

test('open/close questions and hide answers', async () => {
  const ws = await createWorkshop(server);
  const q = ws.questions[0];
  const opened = await setOpen(server, q.id, true);
  assert.equal(opened.open, true);
  assert.equal(opened.id, q.id);
  const bad = await api(server, 'PATCH', `/api/questions/${q.id}`, { key: server.key, body: { open: 'yes' } });
  assert.equal(bad.status, 400);

  const a = await answer(server, ws, { text: '  Läkarkontinuitet är viktigt  ', group: 'Bord 4', organisation: 'Kommun' });
  assert.equal(a.status, 201);
  assert.equal(a.json.text, 'Läkarkontinuitet är viktigt');
  assert.equal(a.json.group, 'Bord 4');

  const hide = await api(server, 'PATCH', `/api/answers/${a.json.id}`, { key: server.key, body: { hidden: true } });
  assert.equal(hide.status, 200);
  assert.equal(hide.json.hidden, true);
  assert.equal((await api(server, 'PATCH', `/api/answers/${a.json.id}`, { key: server.key, body: {} })).status, 400);

  const got = await api(server, 'GET', `/api/workshops/${ws.id}`, { key: server.key });
  assert.equal(got.json.questions[0].answers, 0);
  assert.equal(got.json.questions[0].hidden, 1);
  const all = await api(server, 'GET', `/api/workshops/${ws.id}/answers`, { key: server.key });
  assert.equal(all.status, 200);
  assert.equal(all.json.answers.length, 1);
  assert.equal(all.json.answers[0].hidden, true);
  assert.equal(all.json.answers[0].question, q.text);

  const closed = await setOpen(server, q.id, false);
  assert.equal(closed.open, false);
  const late = await answer(server, ws);
  assert.equal(late.status, 409);
});

test('words route serves the cached cloud', async () => {
  const ws = await createWorkshop(server);
  const q = ws.questions[1];
  await setOpen(server, q.id, true);
  for (const text of ['Kontinuitet', 'kontinuitet i vården', 'Teamsamverkan och kontinuitet']) {
    assert.equal((await answer(server, ws, { question_id: q.id, text })).status, 201);
  }
  // The live thread recomputes a cloud at most once a second, so an early
  // one may hold only the first answers: wait for the one with all three.
  let res;
  for (let i = 0; i < 50; i++) {
    res = await api(server, 'GET', `/api/workshops/${ws.id}/words?question_id=${q.id}`, { key: server.key });
    if (res.json.words[0]?.count === 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(res.status, 200);
  assert.equal(res.json.question_id, q.id);
  const top = res.json.words[0];
  assert.equal(top.word, 'kontinuitet');
  assert.equal(top.count, 3);
  const all = await api(server, 'GET', `/api/workshops/${ws.id}/words`, { key: server.key });
  assert.equal(all.status, 200);
  assert.equal(all.json.question_id, null);
});

test('ids in paths and queries are digits only', async () => {
  const ws = await createWorkshop(server);
  const q = ws.questions[0];
  // strtoll skipped leading white space, so "%20<id>" used to name question <id>.
  for (const id of [`%20${q.id}`, `%09${q.id}`, `${q.id}%20`, `+${q.id}`, `-${q.id}`, '0', '99999999999999999999']) {
    const res = await api(server, 'PATCH', `/api/questions/${id}`, { key: server.key, body: { open: true } });
    assert.equal(res.status, 404, `question ${id}`);
    const words = await api(server, 'GET', `/api/workshops/${ws.id}/words?question_id=${id}`, { key: server.key });
    assert.equal(words.status, 404, `words of question ${id}`);
  }
  const got = await api(server, 'GET', `/api/workshops/${ws.id}`, { key: server.key });
  assert.equal(got.json.questions[0].open, false);
  assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}/words?question_id=${q.id}`, { key: server.key })).status, 200);
});

test('error replies with an extra header are not cacheable either', async () => {
  const res = await api(server, 'GET', '/api/answers');
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'POST');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(res.headers.get('content-type'), /application\/json/);
});
