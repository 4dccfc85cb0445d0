// POST /api/answers: validation, idempotent retries, conflicts, closed
// questions and the per-phone rate limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from '../lib/server.mjs';
import { createWorkshop, setOpen, answer, newAnswerId } from './helpers.mjs';

let server;
let ws;
before(async () => {
  server = await startServer();
  ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
});
after(async () => { const { code } = await server.stop(); server.cleanup(); assert.equal(code, 0); });

async function count(questionIndex = 0) {
  const res = await api(server, 'GET', `/api/workshops/${ws.id}`, { key: server.key });
  return res.json.questions[questionIndex].answers;
}

test('a new answer is 201 with the stored object', async () => {
  const res = await answer(server, ws, { text: 'Hemmonitorering', group: 'Bord 4', organisation: 'Region' });
  assert.equal(res.status, 201);
  assert.equal(typeof res.json.id, 'number');
  assert.equal(res.json.text, 'Hemmonitorering');
  assert.equal(res.json.question_id, ws.questions[0].id);
  assert.equal(res.json.hidden, false);
  const plain = await answer(server, ws, { text: 'Dokumentation (AI)', client_id: undefined });
  assert.equal(plain.status, 201);
  assert.equal(plain.json.group, null);
  assert.equal(plain.json.organisation, null);
});

test('a retry returns the stored answer with 200 and is not counted again', async () => {
  const answer_id = newAnswerId();
  const first = await answer(server, ws, { answer_id, text: 'Teamsamverkan' });
  assert.equal(first.status, 201);
  const before = await count();
  for (let i = 0; i < 3; i++) {
    const again = await answer(server, ws, { answer_id, text: 'Teamsamverkan' });
    assert.equal(again.status, 200);
    assert.equal(again.json.id, first.json.id);
  }
  assert.equal(await count(), before);
});

test('many concurrent identical submissions store exactly one answer', async () => {
  const answer_id = newAnswerId();
  const before = await count();
  const results = await Promise.all(Array.from({ length: 40 }, () => answer(server, ws, { answer_id, text: 'Samtidigt', client_id: 'samephone01' })));
  const statuses = results.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(','));
  assert.equal(statuses.filter((s) => s === 200).length, 39);
  assert.equal(new Set(results.map((r) => r.json.id)).size, 1);
  assert.equal(await count(), before + 1);
  const all = await api(server, 'GET', `/api/workshops/${ws.id}/answers`, { key: server.key });
  assert.equal(all.json.answers.filter((a) => a.answer_id === answer_id).length, 1);
});

test('an answer_id reused for other text or question is 409', async () => {
  const answer_id = newAnswerId();
  assert.equal((await answer(server, ws, { answer_id, text: 'Original' })).status, 201);
  const text = await answer(server, ws, { answer_id, text: 'Ändrad' });
  assert.equal(text.status, 409);
  assert.ok(text.json.error);
  await setOpen(server, ws.questions[1].id, true);
  const other = await answer(server, ws, { answer_id, text: 'Original', question_id: ws.questions[1].id });
  assert.equal(other.status, 409);
});

test('an answer to a closed question is 409, unknown code or question 404', async () => {
  const closed = await answer(server, ws, { question_id: ws.questions[3].id });
  assert.equal(closed.status, 409);
  assert.match(closed.json.error, /closed/);
  assert.equal((await answer(server, ws, { code: 'ZZZZZZ' })).status, 404);
  assert.equal((await answer(server, ws, { question_id: 987654 })).status, 404);
  const other = await createWorkshop(server);
  await setOpen(server, other.questions[0].id, true);
  // A question of another workshop is not a question of this one.
  assert.equal((await answer(server, ws, { question_id: other.questions[0].id })).status, 404);
});

test('invalid fields are 422, missing or mistyped fields 400', async () => {
  const cases422 = [
    { text: '' }, { text: '   \n ' }, { text: 'ö'.repeat(1001) }, { answer_id: 'short' },
    { answer_id: 'has space 123' }, { answer_id: 'x'.repeat(65) }, { group: 'g'.repeat(61) },
    { organisation: 'o'.repeat(61) }, { organisation: 'Marsbasen' }, { client_id: 'bad id!' },
  ];
  for (const fields of cases422) {
    const res = await answer(server, ws, fields);
    assert.equal(res.status, 422, JSON.stringify(fields).slice(0, 80));
    assert.equal(typeof res.json.error, 'string');
  }
  const ok1000 = await answer(server, ws, { text: 'ö'.repeat(1000) });
  assert.equal(ok1000.status, 201);
  const cases400 = [{ text: 5 }, { question_id: '17' }, { code: null }, { answer_id: 12345678 }, { group: 4 }, { organisation: true }];
  for (const fields of cases400) {
    const res = await answer(server, ws, fields);
    assert.equal(res.status, 400, JSON.stringify(fields));
  }
  const missing = await api(server, 'POST', '/api/answers', { body: { code: ws.code } });
  assert.equal(missing.status, 400);
  const malformed = await api(server, 'POST', '/api/answers', { raw: '{"code":', headers: { 'content-type': 'application/json' } });
  assert.equal(malformed.status, 400);
  const invalidUtf8 = await api(server, 'POST', '/api/answers', {
    raw: Buffer.concat([Buffer.from(`{"code":"${ws.code}","question_id":${ws.questions[0].id},"answer_id":"${newAnswerId()}","text":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(invalidUtf8.status, 422);
});

test('text is stored NFC-normalised and trimmed', async () => {
  const res = await answer(server, ws, { text: '  la\u0308karkontinuitet\t' });
  assert.equal(res.status, 201);
  assert.equal(res.json.text, 'läkarkontinuitet');
});

test('rate limit: 429 with Retry-After, retries of stored answers still 200', async () => {
  const limited = await startServer({ args: ['--rate-burst', '3', '--rate-per-min', '1'] });
  try {
    const w = await createWorkshop(limited);
    await setOpen(limited, w.questions[0].id, true);
    const stored = [];
    for (let i = 0; i < 3; i++) {
      const res = await answer(limited, w, { client_id: 'ratephone1' });
      assert.equal(res.status, 201);
      stored.push(res.json);
    }
    const over = await answer(limited, w, { client_id: 'ratephone1' });
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
    // A retry of a stored answer is never limited.
    const retry = await answer(limited, w, { client_id: 'ratephone1', answer_id: stored[0].answer_id, text: stored[0].text });
    assert.equal(retry.status, 200);
    // Another phone has its own bucket.
    assert.equal((await answer(limited, w, { client_id: 'ratephone2' })).status, 201);
    // Without client_id the limit is per IP address.
    for (let i = 0; i < 3; i++) assert.equal((await answer(limited, w, { client_id: undefined })).status, 201);
    assert.equal((await answer(limited, w, { client_id: undefined })).status, 429);
  } finally {
    const { code } = await limited.stop();
    limited.cleanup();
    assert.equal(code, 0);
  }
});
