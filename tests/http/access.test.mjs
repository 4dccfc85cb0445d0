// Who may see what (issue "trust"): phones get only the questions' state,
// the presenter's view needs a key or the workshop's presenter link, keys
// see only their own workshops unless granted or admin, keys expire and
// record their last use, and every change is in the audit log (API and
// `inspel audit`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, api, makeKey, BIN } from '../lib/server.mjs';
import { createWorkshop, setOpen, answer, openEvents, presenterSecret, getOnce } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { const { code } = await server.stop(); server.cleanup(); assert.equal(code, 0); });

const cli = (...args) => execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// The exit status of `inspel ARGS` that is expected to fail.
function status(...args) {
  try {
    cli(...args);
  } catch (e) {
    return e.status;
  }
  return 0;
}

// `inspel keys add --label LABEL ...flags`: {id, key, out}.
function addKey(label, ...flags) {
  const out = cli('keys', 'add', '--db', server.db, '--label', label, ...flags);
  return { id: /^key (\d+) /.exec(out)[1], key: out.trim().split('\n').pop(), out };
}

// The columns of key `id`'s line of `inspel keys list`: [id, created, last used, expires, state, scope, label].
function keyLine(list, id) {
  const line = list.split('\n').find((l) => l.startsWith(`${id} `));
  assert.ok(line, `key ${id} in\n${list}`);
  return line.split(/\s+/);
}

// A workshop with an open question, one answer (with group and organisation) and an open vote.
async function busyWorkshop(key = server.key) {
  const created = await api(server, 'POST', '/api/workshops', { key, body: { title: 'Rummet', template: 'primarvard' } });
  assert.equal(created.status, 201, created.text);
  const ws = created.json;
  assert.equal((await api(server, 'PATCH', `/api/questions/${ws.questions[0].id}`, { key, body: { open: true } })).status, 200);
  const a = await answer(server, ws, { text: 'Kontinuitet med fast läkare.', group: 'Bord 4', organisation: 'Kommun' });
  assert.equal(a.status, 201, a.text);
  const vote = await api(server, 'POST', `/api/workshops/${ws.id}/votes`, { key, body: { dots: 3 } });
  assert.equal(vote.status, 201, vote.text);
  return { ws, answer: a.json, vote: vote.json };
}

test('with only the join code, a phone gets the questions, never the room\'s answers or results', async () => {
  const { ws } = await busyWorkshop();
  const join = await api(server, 'GET', `/api/join/${ws.code}`);
  assert.equal(join.status, 200);
  assert.equal(join.json.id, ws.id);
  assert.equal(join.json.presenter_url, undefined);
  assert.equal(join.json.vote.results, undefined);

  // The presenter's view, with the id the join code gave: refused without a credential.
  for (const url of [`/api/workshops/${ws.id}/events?answers=1`, `/api/workshops/${ws.id}/words`]) {
    const res = await getOnce(server, url);
    assert.equal(res.status, 401, url);
    assert.equal(res.text, '{"error":"a facilitator key or the presenter link is required"}');
  }
  // The phones' stream stays open to anyone, and carries no answer, result or secret.
  const secret = await presenterSecret(server, ws.id);
  const phone = await openEvents(server, `/api/workshops/${ws.id}/events`);
  try {
    assert.equal(phone.res.status, 200);
    const snap = await phone.next((e) => e.event === 'snapshot');
    assert.equal(snap.data.questions[0].open, true);
    assert.equal(snap.data.answers, undefined);
    assert.equal(snap.data.words, undefined);
    assert.equal(snap.data.themes, undefined);
    assert.equal(snap.data.vote.results, undefined);
    assert.equal(snap.data.vote.ballots, undefined);
    const text = JSON.stringify(snap.data);
    assert.ok(!text.includes('Kontinuitet med fast'), 'no answer text');
    assert.ok(!text.includes('Bord 4'), 'no group');
    assert.ok(!text.includes(secret), 'no presenter secret');
  } finally {
    await phone.close();
  }
});

test('the presenter link opens the presenter view of its own workshop only', async () => {
  const { ws } = await busyWorkshop();
  const other = await createWorkshop(server);
  const got = await api(server, 'GET', `/api/workshops/${ws.id}`, { key: server.key });
  const link = new URL(got.json.presenter_url);
  assert.equal(link.pathname, `/present/${ws.id}`);
  assert.equal(link.search, '', 'the secret is not in the query, which servers log');
  assert.match(link.hash, /^#s=[a-z2-7]{32}$/);
  const secret = link.hash.slice(3);

  const wall = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { presenter: secret });
  try {
    assert.equal(wall.res.status, 200);
    const snap = await wall.next((e) => e.event === 'snapshot');
    assert.equal(snap.data.answers[0].text, 'Kontinuitet med fast läkare.');
    assert.equal(snap.data.answers[0].group, 'Bord 4');
    assert.ok(Array.isArray(snap.data.vote.results));
  } finally {
    await wall.close();
  }
  const words = await api(server, 'GET', `/api/workshops/${ws.id}/words`, { headers: { authorization: `Presenter ${secret}` } });
  assert.equal(words.status, 200);
  // Not another workshop's, not with a wrong secret, not on a facilitator route.
  for (const [url, auth] of [
    [`/api/workshops/${other.id}/events?answers=1`, `Presenter ${secret}`],
    [`/api/workshops/${other.id}/words`, `Presenter ${secret}`],
    [`/api/workshops/${ws.id}/words`, `Presenter ${secret.slice(1)}x`],
    [`/api/workshops/nosuchworkshop00/words`, `Presenter ${secret}`],
  ]) {
    const res = await getOnce(server, url, { headers: { authorization: auth } });
    assert.equal(res.status, 401, url);
  }
  for (const url of [`/api/workshops/${ws.id}`, `/api/workshops/${ws.id}/answers`]) {
    assert.equal((await api(server, 'GET', url, { headers: { authorization: `Presenter ${secret}` } })).status, 401, url);
    assert.equal((await api(server, 'GET', url, { headers: { authorization: `Bearer ${secret}` } })).status, 401, url);
  }
  // The console's facilitator key opens the presenter's stream too; POST makes a new link.
  assert.equal(got.json.presenter_url, (await api(server, 'GET', `/api/workshops/${ws.id}`, { key: server.key })).json.presenter_url);
  const created = await api(server, 'POST', '/api/workshops', { key: server.key, body: { title: 'Ny', template: 'primarvard' } });
  assert.match(created.json.presenter_url, /\/present\/[a-z2-7]{16}#s=[a-z2-7]{32}$/);
});

test('a new presenter link ends the old one, open streams included', async () => {
  const ws = await createWorkshop(server);
  const old = await presenterSecret(server, ws.id);
  const wall = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { presenter: old });
  const console_ = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
  const phone = await openEvents(server, `/api/workshops/${ws.id}/events`);
  try {
    await wall.next((e) => e.event === 'snapshot');
    await phone.next((e) => e.event === 'snapshot');
    const renewed = await api(server, 'POST', `/api/workshops/${ws.id}/presenter`, { key: server.key });
    assert.equal(renewed.status, 200, renewed.text);
    const fresh = new URL(renewed.json.presenter_url).hash.slice(3);
    assert.notEqual(fresh, old);
    assert.equal(await presenterSecret(server, ws.id), fresh);
    // The presenter's stream ends at once (the reader sees the end of the body).
    const ended = await Promise.race([wall.ended.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
    assert.ok(ended, 'the old link\'s stream ended');
    // The phones' stream goes on.
    await setOpen(server, ws.questions[1].id, true);
    await phone.next((e) => e.event === 'question' && e.data.id === ws.questions[1].id);
    const again = await api(server, 'GET', `/api/workshops/${ws.id}/words`, { headers: { authorization: `Presenter ${old}` } });
    assert.equal(again.status, 401);
    const now = await api(server, 'GET', `/api/workshops/${ws.id}/words`, { headers: { authorization: `Presenter ${fresh}` } });
    assert.equal(now.status, 200);
  } finally {
    await wall.close().catch(() => {});
    await console_.close();
    await phone.close();
  }
});

test('keys: admin, scoped, granted, expiring, with their last use', async () => {
  const anna = makeKey(server.db);
  const { id: boId, key: bo } = addKey('Bo');
  const created = await api(server, 'POST', '/api/workshops', { key: anna, body: { title: 'Annas', template: 'primarvard' } });
  const ws = created.json;
  assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}`, { key: bo })).status, 404);
  assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}`, { key: server.key })).status, 200);

  // keys add --admin: sees everything.
  const { out, key: admin } = addKey('IT', '--admin');
  assert.match(out, /admin: sees every workshop/);
  assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}`, { key: admin })).status, 200);

  // keys grant: by id or by join code.
  assert.match(cli('keys', 'grant', '--db', server.db, boId, '--workshop', ws.code.toLowerCase()), new RegExp(`may now see workshop ${ws.id}`));
  assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}`, { key: bo })).status, 200);
  assert.ok((await api(server, 'GET', '/api/workshops', { key: bo })).json.workshops.some((w) => w.id === ws.id));
  const series = await api(server, 'POST', '/api/series', { key: anna, body: { title: 'Annas serie' } });
  assert.equal((await api(server, 'GET', `/api/series/${series.json.id}`, { key: bo })).status, 404);
  cli('keys', 'grant', '--db', server.db, boId, '--series', series.json.id);
  assert.equal((await api(server, 'GET', `/api/series/${series.json.id}`, { key: bo })).status, 200);
  assert.equal(status('keys', 'grant', '--db', server.db, boId, '--workshop', 'NOSUCH'), 1);
  assert.equal(status('keys', 'grant', '--db', server.db, boId), 2);

  // --expires DAYS; the list shows expiry, last use and scope.
  const temp = addKey('Vikarie', '--expires', '2');
  assert.match(temp.out, /expires 20\d\d-/);
  assert.equal(status('keys', 'add', '--db', server.db, '--expires', '0'), 2);
  assert.equal(status('keys', 'add', '--db', server.db, '--expires', 'x'), 2);
  assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}`, { key: temp.key })).status, 404);
  const list = cli('keys', 'list', '--db', server.db);
  assert.match(list.split('\n')[0], /^ID +CREATED +LAST USED +EXPIRES +STATE +SCOPE +LABEL$/);
  const [, , boUsed, boExpires, boState, boScope] = keyLine(list, boId);
  assert.match(boUsed, /^20\d\d-.*Z$/, 'used just now');
  assert.deepEqual([boExpires, boState, boScope], ['never', 'active', 'own+2']);
  assert.match(list, new RegExp(`grant: workshop ${ws.id}`));
  assert.match(list, new RegExp(`grant: series ${series.json.id}`));
  const [, , tempUsed, tempExpires, tempState] = keyLine(list, temp.id);
  assert.match(tempUsed, /^20/, 'used above');
  assert.match(tempExpires, /^20\d\d-.*Z$/);
  assert.equal(tempState, 'active');
  assert.equal(keyLine(list, 1)[5], 'admin', 'the first key of the database');
  const fresh = addKey('Oanvänd');
  const [, , neverUsed, , , scope] = keyLine(cli('keys', 'list', '--db', server.db), fresh.id);
  assert.deepEqual([neverUsed, scope], ['never', 'own']);

  // A revoked key is refused, with its grants.
  cli('keys', 'revoke', '--db', server.db, boId);
  assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}`, { key: bo })).status, 401);
});

test('the audit log: who did what, in the console\'s route and on the command line', async () => {
  const { id: annaId, key: anna } = addKey('Anna, Karlstad');
  const { ws, answer: a, vote } = await busyWorkshop(anna);
  const q = ws.questions[0];
  assert.equal((await api(server, 'PATCH', `/api/answers/${a.id}`, { key: anna, body: { hidden: true } })).status, 200);
  assert.equal((await api(server, 'PATCH', `/api/votes/${vote.id}`, { key: anna, body: { open: false } })).status, 200);
  const dec = await api(server, 'POST', `/api/workshops/${ws.id}/decisions`, { key: anna, body: { kind: 'rename', theme: 'kontinuitet', label: 'Fast läkare' } });
  assert.equal(dec.status, 201, dec.text);
  const undo = await api(server, 'POST', `/api/workshops/${ws.id}/decisions`, { key: anna, body: { kind: 'undo', decision: dec.json.decisions[0].id } });
  assert.equal(undo.status, 201, undo.text);
  assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}/report?format=csv`, { key: anna })).status, 200);
  assert.equal((await api(server, 'POST', `/api/workshops/${ws.id}/presenter`, { key: anna })).status, 200);
  const series = await api(server, 'POST', '/api/series', { key: anna, body: { title: 'Loggserie' } });
  assert.equal((await api(server, 'PATCH', `/api/workshops/${ws.id}`, { key: anna, body: { series: series.json.id } })).status, 200);

  const log = await api(server, 'GET', `/api/workshops/${ws.id}/audit`, { key: anna });
  assert.equal(log.status, 200, log.text);
  const entries = log.json.audit;
  assert.deepEqual(entries.map((e) => e.action), [
    'workshop.series', 'presenter.renew', 'report.download', 'decision.undo', 'decision.add', 'vote.close',
    'answer.hide', 'vote.open', 'question.open', 'workshop.create',
  ]);
  for (const e of entries) {
    assert.equal(e.key_id, Number(annaId), e.action);
    assert.equal(e.key_label, 'Anna, Karlstad');
    assert.equal(e.workshop_id, ws.id);
  }
  const by = (action) => entries.find((e) => e.action === action).detail;
  assert.deepEqual(by('question.open'), { question: q.id });
  assert.deepEqual(by('answer.hide'), { answer: a.id });
  assert.deepEqual(by('vote.close'), { vote: vote.id });
  assert.deepEqual(by('decision.add'), { decision: dec.json.decisions[0].id, kind: 'rename' });
  assert.deepEqual(by('decision.undo'), { decision: undo.json.decisions[0].id, undone: dec.json.decisions[0].id });
  assert.deepEqual(by('report.download'), { format: 'csv', lang: 'sv' });
  assert.deepEqual(by('workshop.series'), { series: series.json.id, from: null });
  assert.deepEqual(by('workshop.create'), { title: 'Rummet' });
  assert.ok(entries.every((e, i) => i === 0 || e.id < entries[i - 1].id), 'newest first');

  const seriesLog = await api(server, 'GET', `/api/series/${series.json.id}/audit`, { key: anna });
  assert.deepEqual(seriesLog.json.audit.map((e) => e.action), ['workshop.series', 'series.create']);
  // Another key cannot read it; nor can anyone without a key.
  const bo = makeKey(server.db);
  assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}/audit`, { key: bo })).status, 404);
  assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}/audit`)).status, 401);
  assert.equal((await api(server, 'GET', '/api/workshops/nosuchworkshop00/audit', { key: server.key })).status, 404);
  assert.equal((await api(server, 'GET', '/api/series/nosuchseries0000/audit', { key: server.key })).status, 404);

  // inspel audit: the same log, by id or join code, newest first; grants from the command line too.
  cli('keys', 'grant', '--db', server.db, annaId, '--workshop', ws.id);
  const text = cli('audit', '--db', server.db, '--workshop', ws.code);
  const lines = text.trim().split('\n');
  assert.match(lines[0], /^TIME +ACTION +WHO/);
  assert.match(lines[1], /key\.grant +command line +workshop \S+ +\{"key":\d+\}/);
  assert.match(lines[2], /workshop\.series +key \d+ /);
  assert.equal(lines.length, 1 + 11);
  assert.match(text, /question\.open .*\{"question":\d+\}/);
  const all = cli('audit', '--db', server.db);
  assert.match(all, /key\.add +command line/);
  assert.equal(cli('audit', '--db', server.db, '--since', '2999-01-01').trim().split('\n').length, 1);
  assert.ok(cli('audit', '--db', server.db, '--since', '2000-01-01T00:00:00Z').split('\n').length > 12);
  assert.equal(status('audit', '--db', server.db, '--since', 'yesterday'), 2);
});
