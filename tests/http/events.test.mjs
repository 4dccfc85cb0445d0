// GET /api/workshops/ID/events: snapshot first, then question, answer,
// counts, hide and words events within a second of the action.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from '../lib/server.mjs';
import { createWorkshop, setOpen, answer, openEvents } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { const { code } = await server.stop(); server.cleanup(); assert.equal(code, 0); });

test('presenter stream: snapshot, question, answer, counts, words, hide', async () => {
  const ws = await createWorkshop(server);
  const q = ws.questions[0];
  const wall = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
  try {
    assert.equal(wall.res.status, 200);
    assert.match(wall.res.headers.get('content-type'), /^text\/event-stream/);
    const snap = await wall.next((e) => e.event === 'snapshot');
    assert.equal(wall.events[0].event, 'snapshot', 'snapshot comes first');
    assert.equal(snap.data.id, ws.id);
    assert.deepEqual(snap.data.answers, []);
    assert.equal(snap.data.questions.length, 4);
    assert.deepEqual(snap.data.words[String(q.id)], []);

    let t0 = Date.now();
    await setOpen(server, q.id, true);
    const qev = await wall.next((e) => e.event === 'question' && e.data.id === q.id && e.data.open === true, 1000);
    assert.ok(qev.at - t0 <= 1000);

    t0 = Date.now();
    const a = await answer(server, ws, { text: 'Kontinuitet och teamsamverkan' });
    assert.equal(a.status, 201);
    const aev = await wall.next((e) => e.event === 'answer' && e.data.id === a.json.id, 1000);
    assert.equal(aev.data.text, 'Kontinuitet och teamsamverkan');
    const cev = await wall.next((e) => e.event === 'counts' && e.data.total === 1, 1000);
    assert.equal(cev.data.questions[String(q.id)], 1);
    assert.ok(cev.at - t0 <= 1000, `counts after ${cev.at - t0} ms`);
    const wev = await wall.next((e) => e.event === 'words' && e.data.question_id === q.id && e.data.words.length > 0, 2500);
    assert.ok(wev.data.words.some((w) => w.word === 'kontinuitet' && w.count === 1));

    const from = wall.events.length;
    t0 = Date.now();
    const hide = await api(server, 'PATCH', `/api/answers/${a.json.id}`, { key: server.key, body: { hidden: true } });
    assert.equal(hide.status, 200);
    const hev = await wall.next((e) => e.event === 'hide', 1000, from);
    assert.deepEqual(hev.data, { id: a.json.id, question_id: q.id });
    const c0 = await wall.next((e) => e.event === 'counts' && e.data.total === 0, 1000, from);
    assert.ok(c0.at - t0 <= 1000);

    const show = await api(server, 'PATCH', `/api/answers/${a.json.id}`, { key: server.key, body: { hidden: false } });
    assert.equal(show.status, 200);
    await wall.next((e) => e.event === 'answer' && e.data.id === a.json.id, 1000, from);
  } finally {
    await wall.close();
  }
});

test('phone stream gets questions and counts but never answer text', async () => {
  const ws = await createWorkshop(server);
  const q = ws.questions[1];
  await setOpen(server, q.id, true);
  const hidden = await answer(server, ws, { question_id: q.id, text: 'Hemligtxyz' });
  await api(server, 'PATCH', `/api/answers/${hidden.json.id}`, { key: server.key, body: { hidden: true } });
  const phone = await openEvents(server, `/api/workshops/${ws.id}/events`);
  const wall = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
  try {
    const snap = await phone.next((e) => e.event === 'snapshot');
    assert.equal(snap.data.answers, undefined);
    const wsnap = await wall.next((e) => e.event === 'snapshot');
    assert.deepEqual(wsnap.data.answers, [], 'hidden answers are not in the snapshot');
    await answer(server, ws, { question_id: q.id, text: 'Synligtxyz' });
    await phone.next((e) => e.event === 'counts' && e.data.total === 1, 1000);
    await wall.next((e) => e.event === 'answer', 1000);
    await setOpen(server, q.id, false);
    await phone.next((e) => e.event === 'question' && e.data.open === false, 1000);
    assert.ok(!phone.events.some((e) => e.event === 'answer' || e.event === 'hide' || e.event === 'words'));
    assert.ok(!/Hemligtxyz|Synligtxyz/.test(JSON.stringify(phone.events)));
  } finally {
    await phone.close();
    await wall.close();
  }
});

test('a reconnecting presenter gets the latest answers in its snapshot', async () => {
  const ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
  for (const text of ['Ett', 'Två', 'Tre']) assert.equal((await answer(server, ws, { text })).status, 201);
  const wall = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
  try {
    const snap = await wall.next((e) => e.event === 'snapshot');
    assert.deepEqual(snap.data.answers.map((a) => a.text), ['Ett', 'Två', 'Tre']);
    assert.equal(snap.data.questions[0].answers, 3);
  } finally {
    await wall.close();
  }
});

test('many streams at once all receive an update', async () => {
  const ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
  const streams = await Promise.all(Array.from({ length: 50 }, () => openEvents(server, `/api/workshops/${ws.id}/events`)));
  try {
    await Promise.all(streams.map((s) => s.next((e) => e.event === 'snapshot')));
    await answer(server, ws);
    await Promise.all(streams.map((s) => s.next((e) => e.event === 'counts' && e.data.total === 1, 2000)));
  } finally {
    await Promise.all(streams.map((s) => s.close()));
  }
});

test('a presenter snapshot larger than the stream backlog cap still arrives', async () => {
  const ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
  // 200 answers of 1000 "€" (3 bytes each): a 600 KB snapshot, over the 512 KiB a stream may lag behind.
  const text = '€'.repeat(1000);
  for (let i = 0; i < 200; i += 20) {
    const batch = await Promise.all(Array.from({ length: 20 }, (_, j) => answer(server, ws, { text: `${i + j} ${text}`.slice(0, 1000) })));
    for (const r of batch) assert.equal(r.status, 201);
  }
  const wall = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
  try {
    assert.equal(wall.res.status, 200);
    const snap = await wall.next((e) => e.event === 'snapshot', 5000);
    assert.equal(snap.data.answers.length, 200);
    // The stream stays usable after the big snapshot.
    const a = await answer(server, ws, { text: 'Efter ögonblicksbilden' });
    assert.equal(a.status, 201);
    await wall.next((e) => e.event === 'answer' && e.data.id === a.json.id, 2000);
  } finally {
    await wall.close();
  }
});
