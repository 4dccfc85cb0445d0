// Workshop series: create one, put two workshops in it, see one synthesis
// over both (with each theme's share per workshop), take a workshop out,
// decisions and reports on the series, 404 for an unknown series, and the
// key on every route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from '../lib/server.mjs';
import { createWorkshop, setOpen, answer } from './helpers.mjs';

let server;
let series;
let karlstad;
let arvika;

const req = (method, p, body) => api(server, method, p, { key: server.key, body });

async function fill(ws, texts) {
  await setOpen(server, ws.questions[0].id, true);
  const ids = [];
  for (const text of texts) {
    const res = await answer(server, ws, { text });
    assert.equal(res.status, 201, res.text);
    ids.push(res.json.id);
  }
  return ids;
}

before(async () => {
  server = await startServer();
  karlstad = await createWorkshop(server, { title: 'Dialog Karlstad', template: 'primarvard' });
  arvika = await createWorkshop(server, { title: 'Dialog Arvika', template: 'primarvard' });
  karlstad.answers = await fill(karlstad, [
    'Kontinuitet och fast läkarkontakt är viktigast.',
    'Bättre samverkan mellan region och kommun.',
    'Kortare väntetider och bättre tillgänglighet.',
  ]);
  arvika.answers = await fill(arvika, [
    'Samma läkare varje gång ger kontinuitet.',
    'Teamarbete och samverkan kring de mest sjuka.',
  ]);
});
after(async () => { const { code } = await server.stop(); server.cleanup(); assert.equal(code, 0); });

test('series routes need the key', async () => {
  for (const [method, p] of [['GET', '/api/series'], ['POST', '/api/series'], ['GET', '/api/series/abc'],
    ['GET', '/api/series/abc/themes'], ['GET', '/api/series/abc/decisions'], ['POST', '/api/series/abc/decisions'],
    ['GET', '/api/series/abc/themes-file'], ['GET', '/api/series/abc/report'], ['PATCH', `/api/workshops/${karlstad.id}`]]) {
    const res = await api(server, method, p, { body: method === 'GET' ? undefined : { title: 'x', series: null } });
    assert.equal(res.status, 401, `${method} ${p}`);
  }
});

test('create a series', async () => {
  assert.equal((await req('POST', '/api/series', { title: ' ' })).status, 422);
  assert.equal((await req('POST', '/api/series', { title: 'x'.repeat(201) })).status, 422);
  assert.equal((await req('POST', '/api/series', {})).status, 400);
  const res = await req('POST', '/api/series', { title: '  Primärvårdsdialoger Värmland 2026 ' });
  assert.equal(res.status, 201, res.text);
  series = res.json;
  assert.match(series.id, /^[a-z2-7]{16}$/);
  assert.equal(series.title, 'Primärvårdsdialoger Värmland 2026');
  assert.deepEqual(series.workshops, []);
  const list = await req('GET', '/api/series');
  assert.equal(list.status, 200);
  assert.ok(list.json.series.some((s) => s.id === series.id));
});

test('unknown series: 404', async () => {
  for (const p of ['', '/themes', '/decisions', '/themes-file', '/report']) {
    const res = await req('GET', `/api/series/nosuchseries0000${p}`);
    assert.equal(res.status, 404, p);
    assert.match(res.json.error, /series/);
  }
  const patch = await req('PATCH', `/api/workshops/${karlstad.id}`, { series: 'nosuchseries0000' });
  assert.equal(patch.status, 404);
  assert.equal((await req('PATCH', '/api/workshops/nosuchworkshop00', { series: series.id })).status, 404);
  assert.equal((await req('PATCH', `/api/workshops/${karlstad.id}`, { series: 5 })).status, 400);
});

test('two workshops in the series: one synthesis over both', async () => {
  for (const ws of [karlstad, arvika]) {
    const res = await req('PATCH', `/api/workshops/${ws.id}`, { series: series.id });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.series, series.id);
    assert.equal(res.json.id, ws.id);
  }
  const s = await req('GET', `/api/series/${series.id}`);
  assert.deepEqual(s.json.workshops.map((w) => w.id), [karlstad.id, arvika.id]);
  assert.deepEqual(s.json.workshops.map((w) => w.answers), [3, 2]);

  const view = await req('GET', `/api/series/${series.id}/themes`);
  assert.equal(view.status, 200, view.text);
  assert.equal(view.json.scope, 'series');
  assert.equal(view.json.id, series.id);
  assert.equal(view.json.total, 5);
  assert.deepEqual(view.json.answers.map((a) => a.id).sort((a, b) => a - b),
    [...karlstad.answers, ...arvika.answers].sort((a, b) => a - b));
  assert.deepEqual([...new Set(view.json.answers.map((a) => a.workshop_id))].sort(), [karlstad.id, arvika.id].sort());

  // Theme × workshop: kontinuitet has one answer in each workshop.
  const kont = view.json.themes.find((t) => t.id === 'kontinuitet');
  assert.equal(kont.size, 2);
  const shares = Object.fromEntries(kont.shares.workshop.map((s) => [s.value, s]));
  assert.deepEqual(shares['Dialog Karlstad'], { value: 'Dialog Karlstad', count: 1, total: 3 });
  assert.deepEqual(shares['Dialog Arvika'], { value: 'Dialog Arvika', count: 1, total: 2 });
});

test('a new answer in one workshop reaches the series synthesis', async () => {
  const before = (await req('GET', `/api/series/${series.id}/themes`)).json;
  const res = await answer(server, arvika, { text: 'Fast läkare och kontinuitet i hemsjukvården.' });
  assert.equal(res.status, 201);
  const view = (await req('GET', `/api/series/${series.id}/themes`)).json;
  assert.ok(view.rev > before.rev);
  assert.equal(view.total, 6);
  assert.ok(view.themes.find((t) => t.id === 'kontinuitet').answers.includes(res.json.id));
});

test('series decisions apply to the series, not to its workshops', async () => {
  const res = await req('POST', `/api/series/${series.id}/decisions`, { kind: 'rename', theme: 'kontinuitet', label: 'Fast kontakt' });
  assert.equal(res.status, 201, res.text);
  const sview = (await req('GET', `/api/series/${series.id}/themes`)).json;
  assert.equal(sview.themes.find((t) => t.id === 'kontinuitet').label, 'Fast kontakt');
  const wview = (await req('GET', `/api/workshops/${karlstad.id}/themes`)).json;
  assert.equal(wview.themes.find((t) => t.id === 'kontinuitet').label, 'Kontinuitet');
  const list = await req('GET', `/api/series/${series.id}/decisions`);
  assert.equal(list.json.decisions.length, 1);
  assert.equal((await req('GET', `/api/workshops/${karlstad.id}/decisions`)).json.decisions.length, 0);
  // An answer of a workshop outside the series is not the series'.
  const other = await createWorkshop(server, { title: 'Utanför', template: 'primarvard' });
  const [outside] = await fill(other, ['Kontinuitet utanför serien.']);
  const moved = await req('POST', `/api/series/${series.id}/decisions`, { kind: 'move', answer: outside, to: 'samverkan' });
  assert.equal(moved.status, 422);
  const ok = await req('POST', `/api/series/${series.id}/decisions`, { kind: 'move', answer: arvika.answers[0], to: 'samverkan' });
  assert.equal(ok.status, 201, ok.text);
  const file = await req('GET', `/api/series/${series.id}/themes-file`);
  assert.equal(file.status, 200);
  assert.equal(file.json.default, true);
});

test('the series report is a download', async () => {
  const res = await api(server, 'GET', `/api/series/${series.id}/report?format=json&lang=en`, { key: server.key });
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /application\/json/);
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="inspel-[a-z0-9.-]+\.json"$/);
  assert.equal((await req('GET', `/api/series/${series.id}/report?format=xls`)).status, 400);
  assert.equal((await req('GET', `/api/series/${series.id}/report?lang=fr`)).status, 400);
});

test('taking a workshop out of the series', async () => {
  const res = await req('PATCH', `/api/workshops/${arvika.id}`, { series: null });
  assert.equal(res.status, 200);
  assert.equal(res.json.series, null);
  const s = await req('GET', `/api/series/${series.id}`);
  assert.deepEqual(s.json.workshops.map((w) => w.id), [karlstad.id]);
  const view = (await req('GET', `/api/series/${series.id}/themes`)).json;
  assert.equal(view.total, 3);
  assert.ok(view.answers.every((a) => a.workshop_id === karlstad.id));
  const kont = view.themes.find((t) => t.id === 'kontinuitet');
  assert.deepEqual(kont.shares.workshop.map((x) => x.value), ['Dialog Karlstad']);
});
