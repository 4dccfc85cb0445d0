// Curation through the API: every kind of decision (rename, merge, split,
// move, also, a themes file edit, adopting a discovered theme by its rev,
// undo) is recorded with who/what/when, still holds after more answers
// arrive and are sorted by the re-analysis, and after a server restart on
// the same database.  Also the 401/404/409/422 cases, and the table of
// decision kinds the console describes decisions with.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from '../lib/server.mjs';
import { createWorkshop, setOpen, answer, openEvents } from './helpers.mjs';

let server;
let ws;
const ids = {};          // answer ids by name
const state = {};        // what the decisions made: split id, adopted id and its answers

const TEXTS = {
  kont1: 'Kontinuitet och fast läkarkontakt är viktigast.',
  kont2: 'Samma läkare varje gång ger trygghet och kontinuitet.',
  samv1: 'Bättre samverkan mellan region och kommun.',
  samv2: 'Teamarbete och samordning kring de mest sjuka.',
  digi1: 'Digitala vårdmöten och video för den som bor långt bort.',
  vant1: 'Kortare väntetider och bättre tillgänglighet.',
  vant2: 'Väntetiden till läkare är alldeles för lång, tillgängligheten brister.',
  tel1: 'Bättre tillgänglighet i glesbygd och närhet till vården.',
  komp1: 'Kompetensförsörjning och rekrytering av sjuksköterskor.',
  fore1: 'Förebyggande arbete med levnadsvanor och fysisk aktivitet.',
  park1: 'Parkeringen vid vårdcentralen räcker inte till.',
  park2: 'Det finns för få parkeringsplatser vid mottagningen.',
  park3: 'Parkering är dyr och svår att hitta vid vårdcentralen.',
  rum1: 'Väntrummet är trångt och har dålig luft och ventilation.',
  rum2: 'Väntrummet behöver bättre ventilation och fler stolar.',
  rum3: 'Ett trevligare väntrum med ljus och luft och ventilation.',
  rum4: 'Väntrummet är slitet och trångt, ventilationen dålig.',
};

const path = (p) => `/api/workshops/${ws.id}${p}`;
const get = (p) => api(server, 'GET', path(p), { key: server.key });
const decide = (body) => api(server, 'POST', path('/decisions'), { key: server.key, body });

async function post(name, text) {
  const res = await answer(server, ws, { text });
  assert.ok(res.status === 201 || res.status === 200, `answer ${name}: ${res.status} ${res.text}`);
  ids[name] = res.json.id;
  return res.json.id;
}

async function themes() {
  const res = await get('/themes');
  assert.equal(res.status, 200, res.text);
  return res.json;
}

const theme = (view, id) => view.themes.find((t) => t.id === id);
const ansOf = (view, id) => view.answers.find((a) => a.id === id);

before(async () => {
  server = await startServer();
  ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
  for (const [name, text] of Object.entries(TEXTS)) await post(name, text);
});
after(async () => { const { code } = await server.stop(); server.cleanup(); assert.equal(code, 0); });

test('every synthesis route needs the key', async () => {
  for (const [method, p] of [['GET', '/themes'], ['GET', '/decisions'], ['POST', '/decisions'],
    ['GET', '/themes-file'], ['GET', '/report']]) {
    const res = await api(server, method, path(p), { body: method === 'POST' ? { kind: 'undo', decision: 1 } : undefined });
    assert.equal(res.status, 401, `${method} ${p}`);
  }
  assert.equal((await api(server, 'GET', '/api/workshops/nosuchworkshop00/themes', { key: server.key })).status, 404);
  assert.equal((await api(server, 'DELETE', path('/themes'), { key: server.key })).status, 405);
});

test('the themes view before any decision', async () => {
  const view = await themes();
  assert.equal(view.scope, 'workshop');
  assert.equal(view.id, ws.id);
  assert.equal(view.total, Object.keys(TEXTS).length);
  assert.ok(Number.isInteger(view.rev) && view.rev >= 1);
  assert.match(view.analysed, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(theme(view, 'kontinuitet').answers.includes(ids.kont1));
  assert.equal(theme(view, 'kontinuitet').origin, 'given');
  assert.equal((await themes()).rev, view.rev, 'nothing changed: same rev');
  const file = await get('/themes-file');
  assert.equal(file.status, 200);
  assert.equal(file.json.default, true);
  assert.match(file.json.text, /^kontinuitet \| Kontinuitet \|/m);
});

test('rename, merge, split, move, also: recorded with who, what and when', async () => {
  let res = await decide({ kind: 'rename', theme: 'samverkan', label: '  Samarbete över gränserna ' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.decisions.length, 1);
  const rec = res.json.decisions[0];
  assert.ok(Number.isInteger(rec.id));
  assert.equal(rec.kind, 'rename');
  assert.deepEqual(rec.detail, { kind: 'rename', theme: 'samverkan', label: 'Samarbete över gränserna' });
  assert.ok(Number.isInteger(rec.key_id) && rec.key_id > 0);
  assert.ok('key_label' in rec);
  assert.match(rec.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(rec.undone_by, null);

  res = await decide({ kind: 'merge', theme: 'digitalisering', into: 'tillganglighet' });
  assert.equal(res.status, 201, res.text);

  res = await decide({ kind: 'split', theme: 'tillganglighet', term: 'väntetid', label: 'Väntetider' });
  assert.equal(res.status, 201, res.text);
  state.split = res.json.decisions[0].detail.id;
  assert.match(state.split, /^c\d+$/);

  res = await decide({ kind: 'move', answer: ids.kont2, from: 'kontinuitet', to: 'samverkan' });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.json.decisions[0].detail, { kind: 'move', answer: String(ids.kont2), from: 'kontinuitet', to: 'samverkan' });

  res = await decide({ kind: 'also', answer: ids.komp1, theme: 'forebyggande' });
  assert.equal(res.status, 201, res.text);

  res = await decide({ kind: 'move', answer: ids.fore1, to: null });
  assert.equal(res.status, 201, res.text);
});

test('a themes file edit replaces the file in use', async () => {
  const before = await get('/themes-file');
  const text = `${before.json.text}\nparkering | Parkering | parkering, parkeringsplatser\n`;
  const res = await decide({ kind: 'themes', text });
  assert.equal(res.status, 201, res.text);
  const file = await get('/themes-file');
  assert.equal(file.json.default, false);
  assert.equal(file.json.text, text);
});

test('adopting a discovered theme by its rev', async () => {
  const view = await themes();
  const found = view.themes.find((t) => t.origin === 'discovered');
  assert.ok(found, `a discovered theme among ${JSON.stringify(view.themes.map((t) => t.id))}`);
  assert.match(found.id, /^new-\d+$/);
  // Without rev the server cannot know which new-N the client saw.
  let res = await decide({ kind: 'rename', theme: found.id, label: 'Väntrummet' });
  assert.equal(res.status, 422);
  res = await decide({ kind: 'rename', theme: found.id, label: 'Väntrummet', rev: view.rev });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.decisions.length, 2);
  const [adopt, rename] = res.json.decisions;
  assert.equal(adopt.kind, 'adopt');
  assert.match(adopt.detail.id, /^c\d+$/);
  assert.notEqual(adopt.detail.id, state.split);
  assert.deepEqual([...adopt.detail.answers].sort(), found.answers.map(String).sort());
  assert.deepEqual(rename.detail, { kind: 'rename', theme: adopt.detail.id, label: 'Väntrummet' });
  state.adopted = adopt.detail.id;
  state.adoptedAnswers = found.answers;
});

// Everything the decisions said, checked against a themes view.
function checkDecisions(view) {
  const samv = theme(view, 'samverkan');
  assert.equal(samv.label, 'Samarbete över gränserna');
  assert.equal(samv.renamed, true);

  assert.equal(theme(view, 'digitalisering'), undefined, 'merged away');
  const till = theme(view, 'tillganglighet');
  assert.deepEqual(till.merged, ['digitalisering']);
  assert.deepEqual(till.merged_labels, ['Digitalisering'], 'the label it had when merged, same order as merged');
  assert.ok(till.answers.includes(ids.digi1), 'a digital answer is in the theme it was merged into');

  const split = theme(view, state.split);
  assert.ok(split, 'split theme');
  assert.equal(split.label, 'Väntetider');
  assert.equal(split.origin, 'curated');
  for (const name of ['vant1', 'vant2']) {
    assert.ok(split.answers.includes(ids[name]), `${name} in the split theme`);
    assert.ok(!till.answers.includes(ids[name]), `${name} left tillganglighet`);
  }

  const moved = ansOf(view, ids.kont2);
  assert.ok(moved.themes.includes('samverkan'));
  assert.ok(!moved.themes.includes('kontinuitet'));
  assert.ok(moved.human.includes('samverkan'));

  const also = ansOf(view, ids.komp1);
  assert.ok(also.themes.includes('forebyggande') && also.themes.includes('kompetens'));
  assert.ok(also.human.includes('forebyggande'));
  assert.deepEqual(ansOf(view, ids.fore1).themes, []);
  assert.ok(view.unassigned.includes(ids.fore1));

  const park = theme(view, 'parkering');
  assert.ok(park, 'theme from the edited file');
  for (const name of ['park1', 'park2', 'park3']) assert.ok(park.answers.includes(ids[name]), name);

  const adopted = theme(view, state.adopted);
  assert.equal(adopted.origin, 'curated');
  assert.equal(adopted.label, 'Väntrummet');
  for (const id of state.adoptedAnswers) {
    assert.ok(adopted.answers.includes(id), `adopted answer ${id}`);
    assert.ok(ansOf(view, id).human.includes(state.adopted));
  }
}

test('decisions hold after re-analysis, and new answers are sorted by them', async () => {
  checkDecisions(await themes());
  await post('digi2', 'Fler videomöten och digitala tjänster.');
  await post('vant3', 'Väntetiden på telefon är lång.');
  await post('park4', 'Parkeringen är alltid full på morgonen.');
  const view = await themes();
  checkDecisions(view);
  assert.equal(view.total, Object.keys(ids).length);
  assert.ok(theme(view, 'tillganglighet').answers.includes(ids.digi2));
  assert.ok(theme(view, state.split).answers.includes(ids.vant3));
  assert.ok(theme(view, 'parkering').answers.includes(ids.park4));
});

test('undo takes a decision back, once', async () => {
  let res = await decide({ kind: 'rename', theme: 'kontinuitet', label: 'Fast läkare' });
  assert.equal(res.status, 201);
  const target = res.json.decisions[0].id;
  assert.equal(theme(await themes(), 'kontinuitet').label, 'Fast läkare');
  res = await decide({ kind: 'undo', decision: target });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.decisions[0].kind, 'undo');
  assert.equal(res.json.decisions[0].detail.decision, target);
  assert.equal(theme(await themes(), 'kontinuitet').label, 'Kontinuitet');
  state.undone = target;
  assert.equal((await decide({ kind: 'undo', decision: target })).status, 409);
  assert.equal((await decide({ kind: 'undo', decision: res.json.decisions[0].id })).status, 409, 'an undo cannot be undone');
  assert.equal((await decide({ kind: 'undo', decision: 999999 })).status, 404);
});

test('refused decisions: 400, 409, 422', async () => {
  const bad = [
    [{ kind: 'rename', theme: 'nosuchtheme', label: 'X' }, 422, /no such theme/],
    [{ kind: 'merge', theme: 'kontinuitet', into: 'kontinuitet' }, 422, /itself/],
    [{ kind: 'move', answer: 99999999, to: 'kontinuitet' }, 422, /no such answer/],
    [{ kind: 'also', answer: ids.kont1, theme: 'nosuchtheme' }, 422, /no such theme/],
    [{ kind: 'rename', theme: 'kontinuitet', label: 'x'.repeat(101) }, 422, /too long/],
    [{ kind: 'rename', theme: 'kontinuitet', label: ' ' }, 422, /empty/],
    [{ kind: 'split', theme: 'kontinuitet', term: 'y'.repeat(101), label: 'Y' }, 422, /too long/],
    [{ kind: 'themes', text: 'a | A | alfa\nbara skräp här\n' }, 422, /line 2/],
    [{ kind: 'explode' }, 422, /unknown kind/],
    [{ theme: 'kontinuitet' }, 400, /kind/],
    [{ kind: 'rename', theme: 'kontinuitet' }, 400, /label/],
    [{ kind: 'rename', theme: 'new-1', label: 'X', rev: 1 }, 409, /reload/],
  ];
  const count = (await get('/decisions')).json.decisions.length;
  for (const [body, status, msg] of bad) {
    const res = await decide(body);
    assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
    assert.match(res.json.error, msg);
  }
  const raw = await api(server, 'POST', path('/decisions'), { key: server.key, raw: '{"kind":"undo"', headers: { 'content-type': 'application/json' } });
  assert.equal(raw.status, 400);
  const noType = await api(server, 'POST', path('/decisions'), { key: server.key, raw: '{}' });
  assert.equal(noType.status, 415);
  assert.equal((await get('/decisions')).json.decisions.length, count, 'nothing recorded');
});

test('the table of decision kinds is served without a key', async () => {
  const res = await api(server, 'GET', '/api/decision-kinds');
  assert.equal(res.status, 200, res.text);
  const kinds = res.json.kinds;
  assert.deepEqual(kinds.map((k) => k.name), ['rename', 'merge', 'split', 'move', 'also', 'themes', 'adopt', 'undo']);
  assert.deepEqual(kinds.filter((k) => k.client).map((k) => k.name),
    ['rename', 'merge', 'split', 'move', 'also', 'themes', 'undo']);
  const split = kinds.find((k) => k.name === 'split');
  assert.deepEqual(split.fields.map((f) => [f.name, f.type, f.server]),
    [['theme', 'theme', false], ['term', 'term', false], ['id', 'new_theme', true], ['label', 'label', false]]);
  const move = kinds.find((k) => k.name === 'move');
  assert.equal(move.says[0].when_null, 'to');
  assert.equal(move.says[1].report.sv, 'Flyttade svar {answer}[ från {from}] till temat {to}');
  assert.equal(kinds.find((k) => k.name === 'rename').says[0].console.en, 'The theme {theme} was given the heading “{label}”');
  assert.equal((await api(server, 'POST', '/api/decision-kinds', { body: {} })).status, 405);
});

test('an answer of another workshop cannot be moved here', async () => {
  const other = await createWorkshop(server);
  await setOpen(server, other.questions[0].id, true);
  const res = await answer(server, other, { text: 'Kontinuitet i en annan workshop.' });
  const moved = await decide({ kind: 'move', answer: res.json.id, to: 'kontinuitet' });
  assert.equal(moved.status, 422);
});

test('the presenter gets the summary in its snapshot and a themes event soon after a decision', async () => {
  const empty = await createWorkshop(server);
  const quiet = await openEvents(server, `/api/workshops/${empty.id}/events?answers=1`, { key: server.key });
  const first = await quiet.next((e) => e.event === 'snapshot');
  assert.equal(first.data.themes, null, 'no answers yet');
  await quiet.close();

  const phone = await openEvents(server, `/api/workshops/${ws.id}/events`);
  const stream = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
  const snap = await stream.next((e) => e.event === 'snapshot');
  const sum = snap.data.themes;
  assert.ok(sum && Number.isInteger(sum.rev) && sum.total > 0);
  assert.ok(Number.isInteger(sum.unassigned));
  assert.equal(sum.answers, undefined);
  const samv = sum.themes.find((t) => t.id === 'samverkan');
  assert.deepEqual(Object.keys(samv).sort(), ['id', 'label', 'origin', 'quotes', 'size', 'terms']);
  assert.ok(samv.quotes.length <= 2 && samv.quotes.every((q) => Number.isInteger(q.id) && typeof q.text === 'string'));
  assert.equal((await phone.next((e) => e.event === 'snapshot')).data.themes, undefined, 'phones get no themes');

  const from = stream.events.length;
  const t0 = Date.now();
  const res = await decide({ kind: 'rename', theme: 'kompetens', label: 'Kompetens och bemanning' });
  assert.equal(res.status, 201);
  const ev = await stream.next((e) => e.event === 'themes' &&
    e.data.themes.some((t) => t.id === 'kompetens' && t.label === 'Kompetens och bemanning'), 3000, from);
  assert.ok(ev.data.rev > sum.rev);
  assert.ok(Date.now() - t0 < 1500, `themes event after ${Date.now() - t0} ms`);

  // A new answer reaches the presenter's summary too, throttled but not lost.
  const from2 = stream.events.length;
  await post('komp2', 'Bemanning och kompetensförsörjning på vårdcentralen.');
  const ev2 = await stream.next((e) => e.event === 'themes' &&
    e.data.themes.find((t) => t.id === 'kompetens').size > ev.data.themes.find((t) => t.id === 'kompetens').size, 4000, from2);
  assert.ok(ev2.data.total > ev.data.total);
  assert.ok(!phone.events.some((e) => e.event === 'themes'));
  await stream.close();
  await phone.close();
});

test('after a restart on the same database every decision still holds', async () => {
  const before = (await get('/decisions')).json.decisions;
  const { code } = await server.stop();
  assert.equal(code, 0);
  server = await startServer({ dir: server.dir, key: server.key });
  const list = await get('/decisions');
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.decisions, before);
  const undone = list.json.decisions.find((d) => d.id === state.undone);
  assert.ok(Number.isInteger(undone.undone_by));
  for (const d of list.json.decisions) {
    assert.ok(d.key_id > 0 && d.created && d.detail.kind === d.kind, JSON.stringify(d));
  }
  let view = await themes();
  checkDecisions(view);
  assert.equal(theme(view, 'kontinuitet').label, 'Kontinuitet');
  await post('vant4', 'Väntetiderna till vårdcentralen måste kortas.');
  view = await themes();
  checkDecisions(view);
  assert.ok(theme(view, state.split).answers.includes(ids.vant4));
  assert.equal((await get('/themes-file')).json.default, false);
});
