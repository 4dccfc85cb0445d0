// The end of a workshop's life and a participant's rights, against the real
// server: closing (the code retired, facilitator reads kept) and reopening,
// deleting a workshop or a series (with the API's confirmation), erasing one
// participant by the code their phone shows (ids made as the phone makes
// them, web/js/phoneid.js), the answer cap, participant tokens that bound
// how many ballots one script can cast while a 300-phone room behind one
// address still votes, and the purge and erase commands.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startServer, api, BIN } from '../lib/server.mjs';
import { createWorkshop, setOpen, answer, newAnswerId, openEvents, joinToken } from './helpers.mjs';
import { workshopClientId, participantCode } from '../../web/js/phoneid.js';

let server;
before(async () => { server = await startServer(); });
after(async () => { const { code } = await server.stop(); server.cleanup(); assert.equal(code, 0); });

const keyed = (method, path, body, srv = server) => api(srv, method, path, { key: srv.key, body });

const TEXTS = ['Kontinuitet med fast läkare', 'Fast läkarkontakt ger kontinuitet', 'Svårt att komma fram på telefon'];

async function openVote(ws, srv = server) {
  const v = await keyed('POST', `/api/workshops/${ws.id}/votes`, { dots: 3, themes: ['kontinuitet', 'tillganglighet'] }, srv);
  assert.equal(v.status, 201, v.text);
  return v.json;
}

async function workshopWithAnswers(srv = server) {
  const ws = await createWorkshop(srv);
  await setOpen(srv, ws.questions[0].id, true);
  for (const text of TEXTS) assert.equal((await answer(srv, ws, { text })).status, 201);
  return ws;
}

const ballot = (srv, body) => api(srv, 'POST', '/api/ballots', { body });

test('close retires the join code for joins, answers and ballots; facilitators still read; reopen', async () => {
  const ws = await workshopWithAnswers();
  const vote = await openVote(ws);
  const token = await joinToken(server, ws.code);
  const stored = await answer(server, ws, { answer_id: 'kept-answer-01', client_id: 'closephone01' });
  assert.equal(stored.status, 201);

  const closed = await keyed('POST', `/api/workshops/${ws.id}/close`);
  assert.equal(closed.status, 200, closed.text);
  assert.match(closed.json.closed, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(closed.json.join_url, ws.join_url);
  // Closing again keeps the first time.
  assert.equal((await keyed('POST', `/api/workshops/${ws.id}/close`)).json.closed, closed.json.closed);

  const join = await api(server, 'GET', `/api/join/${ws.code}`);
  assert.equal(join.status, 410);
  assert.match(join.json.error, /closed/);
  assert.equal((await api(server, 'GET', `/api/join/${ws.code}/qr.svg`)).status, 410);
  const late = await answer(server, ws, { client_id: 'closephone02' });
  assert.equal(late.status, 410);
  assert.equal(late.json.error, 'the workshop is closed');
  // A retry of an answer stored before the close is still acknowledged.
  const retry = await answer(server, ws, { answer_id: 'kept-answer-01', client_id: 'closephone01' });
  assert.equal(retry.status, 200);
  const b = await ballot(server, { code: ws.code, vote_id: vote.id, client_id: 'closephone02', token, dots: { kontinuitet: 1 } });
  assert.equal(b.status, 410);

  // Everything is still there for the facilitator.
  const got = await keyed('GET', `/api/workshops/${ws.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.closed, closed.json.closed);
  assert.equal((await keyed('GET', `/api/workshops/${ws.id}/answers`)).json.answers.length, TEXTS.length + 1);
  assert.equal((await keyed('GET', `/api/workshops/${ws.id}/themes`)).status, 200);
  assert.equal((await keyed('GET', `/api/workshops/${ws.id}/report?format=md`)).status, 200);
  assert.ok((await keyed('GET', '/api/workshops')).json.workshops.some((w) => w.id === ws.id && w.closed));

  const reopened = await keyed('POST', `/api/workshops/${ws.id}/reopen`);
  assert.equal(reopened.status, 200);
  assert.equal(reopened.json.closed, null);
  assert.equal((await api(server, 'GET', `/api/join/${ws.code}`)).status, 200);
  assert.equal((await answer(server, ws, { client_id: 'closephone02' })).status, 201);
  assert.equal((await keyed('POST', '/api/workshops/nosuchworkshop00/close')).status, 404);
});

test('delete a workshop: confirmation by id or title, everything under it goes, the code is free', async () => {
  const ws = await workshopWithAnswers();
  const vote = await openVote(ws);
  const token = await joinToken(server, ws.code);
  assert.equal((await ballot(server, { code: ws.code, vote_id: vote.id, client_id: 'delphone01', token, dots: { kontinuitet: 2 } })).status, 201);
  assert.equal((await keyed('POST', `/api/workshops/${ws.id}/decisions`, { kind: 'rename', theme: 'kontinuitet', label: 'Fast läkare' })).status, 201);
  const path = `/api/workshops/${ws.id}`;

  assert.equal((await api(server, 'DELETE', path, { key: server.key })).status, 415, 'a body is required');
  assert.equal((await keyed('DELETE', path, {})).status, 400);
  const wrong = await keyed('DELETE', path, { confirm: 'Primärvårdsdialog' });
  assert.equal(wrong.status, 422);
  assert.match(wrong.json.error, /id or exact title/);
  assert.equal((await keyed('GET', path)).status, 200, 'nothing deleted');
  assert.equal((await api(server, 'DELETE', path, { body: { confirm: ws.id } })).status, 401);

  const gone = await keyed('DELETE', path, { confirm: ws.title });
  assert.equal(gone.status, 200, gone.text);
  assert.deepEqual(gone.json, { id: ws.id, title: ws.title, series: null, answers: TEXTS.length, votes: 1, ballots: 1, decisions: 1 });
  for (const sub of ['', '/answers', '/votes', '/decisions', '/themes']) {
    assert.equal((await keyed('GET', `${path}${sub}`)).status, 404, sub);
  }
  assert.equal((await api(server, 'GET', `/api/join/${ws.code}`)).status, 404);
  assert.equal((await answer(server, ws)).status, 404);
  assert.equal((await keyed('DELETE', path, { confirm: ws.id })).status, 404);
  assert.ok(!(await keyed('GET', '/api/workshops')).json.workshops.some((w) => w.id === ws.id));
});

test('delete a series: its workshops stay, out of the series', async () => {
  const a = await workshopWithAnswers();
  const b = await createWorkshop(server);
  const series = (await keyed('POST', '/api/series', { title: 'Värmland 2026' })).json;
  for (const w of [a, b]) assert.equal((await keyed('PATCH', `/api/workshops/${w.id}`, { series: series.id })).status, 200);
  assert.equal((await keyed('POST', `/api/series/${series.id}/decisions`, { kind: 'rename', theme: 'kontinuitet', label: 'X' })).status, 201);

  assert.equal((await keyed('DELETE', `/api/series/${series.id}`, { confirm: 'Värmland' })).status, 422);
  const gone = await keyed('DELETE', `/api/series/${series.id}`, { confirm: series.id });
  assert.equal(gone.status, 200, gone.text);
  assert.deepEqual(gone.json, { id: series.id, title: 'Värmland 2026', workshops: [a.id, b.id], decisions: 1 });
  assert.equal((await keyed('GET', `/api/series/${series.id}`)).status, 404);
  const kept = await keyed('GET', `/api/workshops/${a.id}`);
  assert.equal(kept.status, 200);
  assert.equal(kept.json.series, null);
  assert.equal((await keyed('GET', `/api/workshops/${a.id}/answers`)).json.answers.length, TEXTS.length);
});

test('a phone sends a different id in each workshop; erase by its participant code', async () => {
  const ws = await workshopWithAnswers();
  const other = await workshopWithAnswers();
  const secret = randomBytes(12).toString('hex');
  const mine = workshopClientId(secret, ws.id);
  assert.match(mine, /^[0-9a-f]{24}$/);
  assert.notEqual(workshopClientId(secret, other.id), mine, 'not linkable across workshops');
  assert.equal(workshopClientId(secret, ws.id), mine, 'stable within one');
  const code = participantCode(mine);
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);

  await setOpen(server, ws.questions[1].id, true);
  const a1 = await answer(server, ws, { text: 'Mitt första svar om min diagnos', client_id: mine });
  const a2 = await answer(server, ws, { question_id: ws.questions[1].id, text: 'Mitt andra svar', client_id: mine });
  assert.equal(a1.status, 201);
  assert.equal(a2.status, 201);
  assert.equal((await keyed('PATCH', `/api/answers/${a2.json.id}`, { hidden: true })).status, 200);
  const otherMine = await answer(server, other, { text: 'I en annan workshop', client_id: workshopClientId(secret, other.id) });
  assert.equal(otherMine.status, 201);
  const vote = await openVote(ws);
  const token = await joinToken(server, ws.code);
  assert.equal((await ballot(server, { code: ws.code, vote_id: vote.id, client_id: mine, token, dots: { kontinuitet: 3 } })).status, 201);
  assert.equal((await ballot(server, { code: ws.code, vote_id: vote.id, client_id: 'someoneelse01', token: await joinToken(server, ws.code), dots: { kontinuitet: 1 } })).status, 201);

  const wall = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
  try {
    await wall.next((e) => e.event === 'snapshot');
    assert.equal((await keyed('POST', `/api/workshops/${ws.id}/erase`, { code: 'ABCD' })).status, 422);
    assert.equal((await keyed('POST', `/api/workshops/${ws.id}/erase`, {})).status, 400);
    assert.equal((await api(server, 'POST', `/api/workshops/${ws.id}/erase`, { body: { code } })).status, 401);
    const res = await keyed('POST', `/api/workshops/${ws.id}/erase`, { code: code.toLowerCase().replace('-', ' ') });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { answers: 2, ballots: 1 });
    // The presenter drops the visible one; the vote's results lose the ballot.
    await wall.next((e) => e.event === 'hide' && e.data.id === a1.json.id);
    await wall.next((e) => e.event === 'vote' && e.data.ballots === 1);
  } finally {
    await wall.close();
  }
  const left = (await keyed('GET', `/api/workshops/${ws.id}/answers`)).json.answers;
  assert.deepEqual(left.map((a) => a.text).sort(), [...TEXTS].sort());
  const counts = (await keyed('GET', `/api/workshops/${ws.id}`)).json.questions;
  assert.equal(counts[0].answers, TEXTS.length);
  assert.equal(counts[1].answers, 0);
  const themes = await keyed('GET', `/api/workshops/${ws.id}/themes`);
  assert.ok(!JSON.stringify(themes.json).includes('diagnos'), 'the synthesis forgot the erased text');
  assert.equal((await keyed('GET', `/api/workshops/${ws.id}/votes`)).json.votes[0].ballots, 1);
  // The other workshop keeps that phone's answer; a second erase finds nothing.
  assert.equal((await keyed('GET', `/api/workshops/${other.id}/answers`)).json.answers.length, TEXTS.length + 1);
  const again = await keyed('POST', `/api/workshops/${ws.id}/erase`, { code });
  assert.equal(again.status, 404);
  assert.match(again.json.error, /no answers or ballots/);
  assert.equal((await keyed('POST', '/api/workshops/nosuchworkshop00/erase', { code })).status, 404);
});

test('the answer cap: 409 with a clear message once a workshop holds it', async () => {
  const srv = await startServer({ args: ['--max-answers-per-workshop', '3'] });
  try {
    const ws = await createWorkshop(srv);
    await setOpen(srv, ws.questions[0].id, true);
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const r = await answer(srv, ws, { client_id: `capphone${i}x` });
      assert.equal(r.status, 201);
      ids.push(r.json.answer_id);
    }
    const over = await answer(srv, ws, { client_id: 'capphone9x' });
    assert.equal(over.status, 409);
    assert.equal(over.json.error, 'the workshop has reached its limit of 3 answers');
    assert.equal((await answer(srv, ws, { answer_id: ids[0], client_id: 'capphone0x' })).status, 200, 'a retry is not a new answer');
    // Another workshop has its own cap.
    const other = await createWorkshop(srv);
    await setOpen(srv, other.questions[0].id, true);
    assert.equal((await answer(srv, other)).status, 201);
  } finally {
    const { code } = await srv.stop();
    srv.cleanup();
    assert.equal(code, 0);
  }
});

test('ballots need a participant token: one script is bounded by the issuance budget', async () => {
  const srv = await startServer({ args: ['--token-burst', '20', '--token-per-min', '1'] });
  try {
    const ws = await workshopWithAnswers(srv);
    const vote = await openVote(ws, srv);
    const body = (client, token) => ({ code: ws.code, vote_id: vote.id, client_id: client, token, dots: { kontinuitet: 3 } });
    assert.equal((await ballot(srv, body('nokenphone01'))).status, 401, 'no token');
    assert.equal((await ballot(srv, body('nokenphone01', 'x'.repeat(49)))).status, 401, 'a made-up token');

    // The script: join, vote under a new id, 200 times, as fast as it can.
    let counted = 0;
    let refused = 0;
    let first = null;
    for (let i = 0; i < 200; i++) {
      const join = await api(srv, 'GET', `/api/join/${ws.code}`);
      assert.equal(join.status, 200, 'the workshop itself is always served');
      first ??= join.json.token;
      const r = await ballot(srv, body(`stuffer${i}xyz`, join.json.token));
      if (r.status === 201) counted++;
      else refused++;
    }
    assert.ok(counted <= 21, `${counted} ballots counted: no more than the budget`);
    assert.ok(counted >= 19, `${counted} ballots counted: the budget was given out`);
    assert.equal(refused, 200 - counted);
    // One token is one voter, whatever client_id it comes with.
    const token = await joinToken(srv, ws.code);
    assert.equal(token, null, 'the budget is spent');
    const list = await keyed('GET', `/api/workshops/${ws.id}/votes`, undefined, srv);
    assert.equal(list.json.votes[0].ballots, counted);

    // A phone that kept its token gets it back though the budget is spent; a made-up one gets nothing.
    const kept = await api(srv, 'GET', `/api/join/${ws.code}`, { headers: { 'x-participant-token': first } });
    assert.equal(kept.json.token, first);
    const made = await api(srv, 'GET', `/api/join/${ws.code}`, { headers: { 'x-participant-token': 'x'.repeat(49) } });
    assert.equal(made.json.token, null);
    // Its ballot was counted once: the same token under another id is the same voter.
    assert.equal((await ballot(srv, body('stufferXXXXXX', first))).status, 200);
  } finally {
    const { code } = await srv.stop();
    srv.cleanup();
    assert.equal(code, 0);
  }
});

test('a room of 300 phones behind one address all vote with the default budget', async () => {
  const ws = await workshopWithAnswers();
  const vote = await openVote(ws);
  const phones = Array.from({ length: 300 }, (_, i) => `roomphone${String(i).padStart(3, '0')}`);
  const tokens = [];
  for (let i = 0; i < phones.length; i += 50) {
    tokens.push(...await Promise.all(phones.slice(i, i + 50).map(() => joinToken(server, ws.code))));
  }
  assert.ok(tokens.every((t) => typeof t === 'string'), 'every phone got a token');
  assert.equal(new Set(tokens).size, 300);
  // A phone that reloads shows its token and gets the same one back.
  const again = await api(server, 'GET', `/api/join/${ws.code}`, { headers: { 'x-participant-token': tokens[0] } });
  assert.equal(again.json.token, tokens[0]);
  let created = 0;
  for (let i = 0; i < phones.length; i += 50) {
    const rs = await Promise.all(phones.slice(i, i + 50).map((p, j) => ballot(server, { code: ws.code, vote_id: vote.id, client_id: p, token: tokens[i + j], dots: { kontinuitet: 1 } })));
    created += rs.filter((r) => r.status === 201).length;
  }
  assert.equal(created, 300);
  // A token of one workshop is nothing in another.
  const other = await workshopWithAnswers();
  const otherVote = await openVote(other);
  assert.equal((await ballot(server, { code: other.code, vote_id: otherVote.id, client_id: phones[0], token: tokens[0], dots: { kontinuitet: 1 } })).status, 401);
});

test('inspel purge and inspel erase on the command line', async () => {
  const srv = await startServer();
  const ws = await workshopWithAnswers(srv);
  const secret = randomBytes(12).toString('hex');
  const mine = workshopClientId(secret, ws.id);
  assert.equal((await answer(srv, ws, { text: 'Radera mig', client_id: mine })).status, 201);
  const young = await createWorkshop(srv);
  await srv.stop();
  try {
    const erase = execFileSync(BIN, ['erase', '--db', srv.db, '--workshop', ws.id, '--code', participantCode(mine)], { encoding: 'utf8' });
    assert.match(erase, /erased 1 answers and 0 ballots/);
    const none = spawnSync(BIN, ['erase', '--db', srv.db, '--workshop', ws.id, '--code', participantCode(mine)], { encoding: 'utf8' });
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no answers or ballots/);
    assert.equal(spawnSync(BIN, ['erase', '--db', srv.db, '--workshop', ws.id, '--code', 'nope']).status, 2);
    assert.equal(spawnSync(BIN, ['purge', '--db', srv.db]).status, 2);

    // Nothing is 30 days old; everything is older than 0 days once a second has passed.
    assert.match(execFileSync(BIN, ['purge', '--db', srv.db, '--older-than', '30'], { encoding: 'utf8' }), /deleted 0 workshops/);
    await new Promise((r) => setTimeout(r, 1100));
    const dry = execFileSync(BIN, ['purge', '--db', srv.db, '--older-than', '0', '--dry-run'], { encoding: 'utf8' });
    assert.match(dry, new RegExp(`would delete workshop ${ws.id}`));
    assert.match(dry, new RegExp(`would delete workshop ${young.id}`));
    const done = execFileSync(BIN, ['purge', '--db', srv.db, '--older-than', '0'], { encoding: 'utf8' });
    assert.match(done, /deleted 2 workshops/);
    const again = await startServer({ dir: srv.dir, key: srv.key });
    try {
      assert.equal((await keyed('GET', `/api/workshops/${ws.id}`, undefined, again)).status, 404);
      assert.deepEqual((await keyed('GET', '/api/workshops', undefined, again)).json.workshops, []);
    } finally {
      await again.stop();
    }
  } finally {
    srv.cleanup();
  }
});

test('answers need no token: a phone that could not get one still answers', async () => {
  const ws = await workshopWithAnswers();
  const r = await api(server, 'POST', '/api/answers', {
    body: { code: ws.code, question_id: ws.questions[0].id, answer_id: newAnswerId(), text: 'Utan token', client_id: 'notokenphone1' },
  });
  assert.equal(r.status, 201);
});
