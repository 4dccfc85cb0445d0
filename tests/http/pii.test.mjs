// Personal data in answers: an answer whose text holds a personal number,
// a phone number or an e-mail address is stored flagged and held: not on
// the projector (no `answer` event, not in the presenter's snapshot), not
// in the word cloud, not quoted in the presenter's themes summary, until a
// facilitator lets it through with PATCH /api/answers/ID {"released": true}.
// It still counts, and the facilitator sees it everywhere.  `serve
// --no-pii-hold` flags without holding.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from '../lib/server.mjs';
import { createWorkshop, setOpen, answer, openEvents } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { const { code } = await server.stop(); server.cleanup(); assert.equal(code, 0); });

const PNR = 'Min mamma på Solgläntan, 19450312-1230, fick vänta i tre veckor.';

const patch = (id, body) => api(server, 'PATCH', `/api/answers/${id}`, { key: server.key, body });
const words = async (ws, qid) =>
  (await api(server, 'GET', `/api/workshops/${ws.id}/words?question_id=${qid}`, { key: server.key })).json.words.map((w) => w.word);

// Wait until the word cloud of question `qid` satisfies `pred` (the live thread recomputes it at most once a second).
async function wordsUntil(ws, qid, pred, ms = 4000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const list = await words(ws, qid);
    if (pred(list)) return list;
    if (Date.now() > deadline) throw new Error(`word cloud never matched: ${JSON.stringify(list)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

test('the kinds of personal data are flagged, numbers that are not are not', async () => {
  const ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
  for (const text of [PNR, 'Ring mig på 070-123 45 67 så berättar jag mer.', 'Mejla anna.svensson@regionvarmland.se om detta.',
    'Samordningsnummer 19450372-1237 fungerade inte i 1177.', '+46 8 123 456 78 är växeln.']) {
    const res = await answer(server, ws, { text });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.flagged, true, text);
    assert.equal(res.json.held, true, text);
  }
  for (const text of ['Vi fick 15 000 kr och 1 500 000 kr totalt.', 'Mötet 2024-03-12 kl. 08.30, sedan 12/3.',
    'Vårdcentralen på 123 45 Karlstad har 10 000 patienter.', 'Personnumret 19450312-1234 är fel.', 'Ring 1177.']) {
    const res = await answer(server, ws, { text });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.flagged, false, text);
    assert.equal(res.json.held, false, text);
  }
});

test('a held answer stays off the projector and the word cloud until it is let through', async () => {
  const ws = await createWorkshop(server);
  const q = ws.questions[0];
  await setOpen(server, q.id, true);
  const wall = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
  try {
    await wall.next((e) => e.event === 'snapshot');
    const plain = await answer(server, ws, { text: 'Kontinuitet och väntetider på vårdcentralen.' });
    assert.equal(plain.status, 201);
    assert.equal(plain.json.flagged, false);
    await wall.next((e) => e.event === 'answer' && e.data.id === plain.json.id, 1000);

    const from = wall.events.length;
    const held = await answer(server, ws, { text: PNR });
    assert.equal(held.status, 201);
    assert.equal(held.json.flagged, true);
    assert.equal(held.json.held, true);
    // It counts (the room sees two answers) ...
    await wall.next((e) => e.event === 'counts' && e.data.total === 2, 1500, from);
    // ... but its text goes nowhere near the projector.
    await wall.next((e) => e.event === 'words' && e.data.question_id === q.id, 2500, from);
    assert.ok(!wall.events.slice(from).some((e) => e.event === 'answer'), 'no answer event for a held answer');
    assert.ok(!JSON.stringify(wall.events).includes('19450312'), 'the number never reaches the projector');
    const cloud = await words(ws, q.id);
    assert.ok(cloud.includes('kontinuitet') && !cloud.includes('solgläntan'), JSON.stringify(cloud));
    const second = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
    const snap = await second.next((e) => e.event === 'snapshot');
    await second.close();
    assert.deepEqual(snap.data.answers.map((a) => a.id), [plain.json.id], 'not in the snapshot');
    assert.ok(!JSON.stringify(snap.data).includes('19450312'));
    assert.equal(snap.data.questions[0].answers, 2);

    // The facilitator sees it, marked, and the themes view counts it.
    const list = (await api(server, 'GET', `/api/workshops/${ws.id}/answers`, { key: server.key })).json.answers;
    const mine = list.find((a) => a.id === held.json.id);
    assert.equal(mine.flagged, true);
    assert.equal(mine.held, true);
    assert.equal(mine.text, PNR);
    assert.equal(list.find((a) => a.id === plain.json.id).flagged, false);
    const view = (await api(server, 'GET', `/api/workshops/${ws.id}/themes`, { key: server.key })).json;
    assert.equal(view.total, 2);
    assert.ok(view.answers.some((a) => a.id === held.json.id));

    // Let through: now it goes on the wall and into the word cloud.
    const from2 = wall.events.length;
    const released = await patch(held.json.id, { released: true });
    assert.equal(released.status, 200, released.text);
    assert.equal(released.json.held, false);
    assert.equal(released.json.flagged, true, 'still marked as personal data');
    const ev = await wall.next((e) => e.event === 'answer' && e.data.id === held.json.id, 1000, from2);
    assert.equal(ev.data.text, PNR);
    await wordsUntil(ws, q.id, (w) => w.includes('solgläntan'));

    // Held again: off the wall and out of the cloud.
    const from3 = wall.events.length;
    const again = await patch(held.json.id, { released: false });
    assert.equal(again.json.held, true);
    await wall.next((e) => e.event === 'hide' && e.data.id === held.json.id, 1000, from3);
    await wordsUntil(ws, q.id, (w) => !w.includes('solgläntan'));

    // Hidden and held: letting it through does not show a hidden answer; showing it then does.
    assert.equal((await patch(held.json.id, { hidden: true })).json.hidden, true);
    const from4 = wall.events.length;
    const both = await patch(held.json.id, { released: true });
    assert.equal(both.json.held, false);
    assert.equal(both.json.hidden, true);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!wall.events.slice(from4).some((e) => e.event === 'answer' && e.data.id === held.json.id));
    await patch(held.json.id, { hidden: false });
    await wall.next((e) => e.event === 'answer' && e.data.id === held.json.id, 1000, from4);
    // Both fields in one request: hide and hold again.
    const one = await patch(held.json.id, { hidden: true, released: false });
    assert.equal(one.status, 200);
    assert.equal(one.json.hidden, true);
    assert.equal(one.json.held, true);

    // An answer without personal data cannot be held; bad bodies and ids are refused.
    const notHeld = await patch(plain.json.id, { released: false });
    assert.equal(notHeld.status, 200);
    assert.equal(notHeld.json.held, false);
    assert.equal((await patch(plain.json.id, { released: 'yes' })).status, 400);
    assert.equal((await patch(plain.json.id, {})).status, 400);
    assert.equal((await patch(999999, { released: true })).status, 404);
    assert.equal((await api(server, 'PATCH', `/api/answers/${plain.json.id}`, { body: { released: true } })).status, 401);
  } finally {
    await wall.close();
  }
});

test('the presenter\'s themes summary never quotes a held answer; the facilitator\'s view counts it', async () => {
  const ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
  const texts = [
    'Kontinuitet och fast läkarkontakt, ring 070-123 45 67.',
    'Kontinuitet med samma läkare, mejla anna@region.se.',
    'Kontinuitet och fast läkare, pappa 121212-1212 fick byta hela tiden.',
    'Kontinuitet är viktigast för de äldre.',
  ];
  const ids = [];
  for (const text of texts) {
    const res = await answer(server, ws, { text });
    assert.equal(res.status, 201);
    ids.push(res.json.id);
  }
  const heldIds = ids.slice(0, 3);
  const wall = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
  try {
    const snap = await wall.next((e) => e.event === 'snapshot');
    const sum = snap.data.themes;
    assert.ok(sum && sum.total === 4, JSON.stringify(sum));
    const kont = sum.themes.find((t) => t.id === 'kontinuitet');
    assert.ok(kont.size >= 4, 'held answers count in the summary');
    assert.deepEqual(kont.quotes.map((x) => x.id), [ids[3]], 'only the answer without personal data is quoted');
    for (const t of sum.themes) for (const quote of t.quotes) assert.ok(!heldIds.includes(quote.id));

    const view = (await api(server, 'GET', `/api/workshops/${ws.id}/themes`, { key: server.key })).json;
    const full = view.themes.find((t) => t.id === 'kontinuitet');
    for (const id of ids) assert.ok(full.answers.includes(id));

    // Let one through: the presenter's next summary may quote it.
    const from = wall.events.length;
    assert.equal((await patch(ids[0], { released: true })).status, 200);
    const ev = await wall.next((e) => e.event === 'themes' &&
      e.data.themes.find((t) => t.id === 'kontinuitet').quotes.some((x) => x.id === ids[0]), 4000, from);
    const quotes = ev.data.themes.find((t) => t.id === 'kontinuitet').quotes.map((x) => x.id);
    assert.ok(!quotes.includes(ids[1]) && !quotes.includes(ids[2]));
  } finally {
    await wall.close();
  }
});

test('serve --no-pii-hold flags personal data but shows it at once', async () => {
  const open = await startServer({ args: ['--no-pii-hold'] });
  try {
    const ws = await createWorkshop(open);
    await setOpen(open, ws.questions[0].id, true);
    const wall = await openEvents(open, `/api/workshops/${ws.id}/events?answers=1`, { key: open.key });
    try {
      await wall.next((e) => e.event === 'snapshot');
      const res = await answer(open, ws, { text: PNR });
      assert.equal(res.status, 201);
      assert.equal(res.json.flagged, true);
      assert.equal(res.json.held, false);
      await wall.next((e) => e.event === 'answer' && e.data.id === res.json.id, 1000);
    } finally {
      await wall.close();
    }
  } finally {
    const { code } = await open.stop();
    open.cleanup();
    assert.equal(code, 0);
  }
});

test('reports replace personal data in every format unless redact=0', async () => {
  const ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
  for (const text of [PNR, 'Mejla anna.svensson@regionvarmland.se om detta.', 'Kontinuitet och väntetider.']) {
    assert.equal((await answer(server, ws, { text })).status, 201);
  }
  for (const format of ['html', 'md', 'csv', 'json']) {
    const red = await api(server, 'GET', `/api/workshops/${ws.id}/report?format=${format}`, { key: server.key });
    assert.equal(red.status, 200, `${format}: ${red.text.slice(0, 200)}`);
    assert.ok(!red.text.includes('19450312'), `${format} shows the personal number`);
    assert.ok(!red.text.includes('anna.svensson@'), `${format} shows the e-mail address`);
    const shown = red.text.replace(/\\/g, '');   // Markdown escapes the brackets
    assert.ok(shown.includes('[personnummer]') && shown.includes('[e-post]'), `${format} says what was replaced`);
    const plain = await api(server, 'GET', `/api/workshops/${ws.id}/report?format=${format}&redact=0`, { key: server.key });
    assert.equal(plain.status, 200);
    assert.ok(plain.text.includes('19450312-1230'), `${format} with redact=0 shows the text as written`);
  }
  const en = await api(server, 'GET', `/api/workshops/${ws.id}/report?format=md&lang=en`, { key: server.key });
  assert.ok(en.text.replace(/\\/g, '').includes('[personal number]') && en.text.replace(/\\/g, '').includes('[e-mail]'));
  const bad = await api(server, 'GET', `/api/workshops/${ws.id}/report?format=md&redact=yes`, { key: server.key });
  assert.equal(bad.status, 400);
});
