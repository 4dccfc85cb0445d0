// Voting on themes with dots: opening (default themes from the synthesis,
// or named ones), closing and reopening, ballots with their limits, one
// ballot per phone with idempotent retries, events to phones without
// results and to the presenter with them, presenter snapshots keeping the
// closed vote's result, and votes surviving a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from '../lib/server.mjs';
import { createWorkshop, setOpen, answer, openEvents, withToken } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { const { code } = await server.stop(); server.cleanup(); assert.equal(code, 0); });

const ANSWERS = [
  'Kontinuitet med fast läkare',
  'Fast läkarkontakt ger kontinuitet',
  'Kontinuitet för äldre med många diagnoser',
  'Svårt att komma fram på telefon, tillgänglighet',
  'Samverkan mellan region och kommun',
  'Digitala vårdbesök och digitalisering',
];

// A workshop whose synthesis has themes with answers.
async function workshopWithAnswers(srv = server) {
  const ws = await createWorkshop(srv);
  await setOpen(srv, ws.questions[0].id, true);
  for (const text of ANSWERS) assert.equal((await answer(srv, ws, { text })).status, 201);
  return ws;
}

const openVote = (ws, body, srv = server) => api(srv, 'POST', `/api/workshops/${ws.id}/votes`, { key: srv.key, body });
const patchVote = (id, open, srv = server) => api(srv, 'PATCH', `/api/votes/${id}`, { key: srv.key, body: { open } });
const ballot = async (body, srv = server) => api(srv, 'POST', '/api/ballots', { body: await withToken(srv, body) });

test('open with default themes: every theme with answers, largest first', async () => {
  const ws = await workshopWithAnswers();
  const res = await openVote(ws, {});
  assert.equal(res.status, 201, res.text);
  const v = res.json;
  assert.equal(v.workshop_id, ws.id);
  assert.equal(v.dots, 3);
  assert.equal(v.open, true);
  assert.equal(v.closed, null);
  assert.equal(v.ballots, 0);
  assert.ok(v.themes.length >= 2 && v.themes.length <= 30, JSON.stringify(v.themes));
  assert.equal(v.themes[0].id, 'kontinuitet', 'three answers about continuity: the largest theme comes first');
  assert.ok(v.themes.every((t) => typeof t.id === 'string' && typeof t.label === 'string' && t.label));
  assert.deepEqual(v.results.map((r) => r.theme), v.themes.map((t) => t.id));
  assert.ok(v.results.every((r) => r.dots === 0 && r.voters === 0));

  // The themes offered are the synthesis' themes with answers.
  const view = await api(server, 'GET', `/api/workshops/${ws.id}/themes`, { key: server.key });
  assert.equal(view.status, 200);
  const withAnswers = view.json.themes.filter((t) => t.size > 0).map((t) => t.id).sort();
  assert.ok(view.json.themes.some((t) => t.size === 0), 'themes without answers exist and are left out');
  assert.deepEqual(v.themes.map((t) => t.id).sort(), withAnswers);
});

test('open, close, reopen; opening another closes the first', async () => {
  const ws = await workshopWithAnswers();
  const a = (await openVote(ws, { dots: 5, themes: ['kontinuitet', 'tillganglighet'] })).json;
  assert.equal(a.dots, 5);
  assert.deepEqual(a.themes.map((t) => t.id), ['kontinuitet', 'tillganglighet']);
  assert.equal(a.themes[0].label, 'Kontinuitet');

  const b = await openVote(ws, { themes: ['samverkan'] });
  assert.equal(b.status, 201);
  let list = await api(server, 'GET', `/api/workshops/${ws.id}/votes`, { key: server.key });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.votes.map((v) => [v.id, v.open]), [[a.id, false], [b.json.id, true]]);
  assert.ok(list.json.votes[0].closed);

  const closed = await patchVote(b.json.id, false);
  assert.equal(closed.status, 200);
  assert.equal(closed.json.open, false);
  assert.ok(closed.json.closed);
  let join = await api(server, 'GET', `/api/join/${ws.code}`);
  assert.equal(join.json.vote, null, 'no open vote');

  const reopened = await patchVote(a.id, true);
  assert.equal(reopened.status, 200);
  assert.equal(reopened.json.open, true);
  assert.equal(reopened.json.closed, null);
  join = await api(server, 'GET', `/api/join/${ws.code}`);
  assert.equal(join.status, 200);
  assert.equal(join.json.vote.id, a.id);
  assert.deepEqual(join.json.vote.themes, a.themes);
  assert.equal(join.json.vote.results, undefined, 'phones get no results');
  assert.equal(join.json.vote.ballots, undefined);

  list = await api(server, 'GET', `/api/workshops/${ws.id}/votes`, { key: server.key });
  assert.deepEqual(list.json.votes.map((v) => v.open), [true, false]);
});

test('refused votes: bad dots, unknown or no themes, unknown workshop or vote', async () => {
  const ws = await workshopWithAnswers();
  for (const dots of [0, 11, -1]) assert.equal((await openVote(ws, { dots })).status, 422, `dots ${dots}`);
  assert.equal((await openVote(ws, { dots: 2.5 })).status, 400);
  assert.equal((await openVote(ws, { dots: '3' })).status, 400);
  const unknown = await openVote(ws, { themes: ['kontinuitet', 'nosuchtheme'] });
  assert.equal(unknown.status, 422);
  assert.match(unknown.json.error, /nosuchtheme/);
  assert.equal((await openVote(ws, { themes: [] })).status, 422);
  assert.equal((await openVote(ws, { themes: ['kontinuitet', 'kontinuitet'] })).status, 422);
  assert.equal((await openVote(ws, { themes: 'kontinuitet' })).status, 400);
  assert.equal((await api(server, 'POST', `/api/workshops/${ws.id}/votes`,
    { key: server.key, raw: '{"dots":3}', headers: { 'content-type': 'text/plain' } })).status, 415);

  // A workshop without answers has no theme with answers to offer by default.
  const empty = await createWorkshop(server);
  const none = await openVote(empty, {});
  assert.equal(none.status, 422);
  assert.match(none.json.error, /no themes/);

  assert.equal((await openVote({ id: 'nosuchworkshop00' }, {})).status, 404);
  assert.equal((await patchVote(999999, false)).status, 404);
  assert.equal((await patchVote('abc', false)).status, 404);
  assert.equal((await api(server, 'PATCH', '/api/votes/1', { key: server.key, body: { open: 'no' } })).status, 400);
  assert.equal((await api(server, 'GET', '/api/workshops/nosuchworkshop00/votes', { key: server.key })).status, 404);
  assert.equal((await api(server, 'DELETE', `/api/workshops/${ws.id}/votes`, { key: server.key })).status, 405);
  assert.equal((await api(server, 'GET', '/api/ballots')).status, 405);
  // Nothing was opened by the refused requests.
  const list = await api(server, 'GET', `/api/workshops/${ws.id}/votes`, { key: server.key });
  assert.deepEqual(list.json.votes, []);
});

test('facilitator vote routes need the key; ballots do not', async () => {
  const ws = await workshopWithAnswers();
  const v = (await openVote(ws, { themes: ['kontinuitet'] })).json;
  const noKey = [
    await api(server, 'POST', `/api/workshops/${ws.id}/votes`, { body: {} }),
    await api(server, 'GET', `/api/workshops/${ws.id}/votes`),
    await api(server, 'PATCH', `/api/votes/${v.id}`, { body: { open: false } }),
    await api(server, 'PATCH', `/api/votes/${v.id}`, { key: 'wrong-key-wrong-key-wrong', body: { open: false } }),
  ];
  for (const res of noKey) {
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') || '', /Bearer/);
  }
  const res = await ballot({ code: ws.code, vote_id: v.id, client_id: 'phone-nokey-01', dots: { kontinuitet: 1 } });
  assert.equal(res.status, 201);
});

test('ballots: limits, one per phone, identical retry, closed vote', async () => {
  const ws = await workshopWithAnswers();
  const v = (await openVote(ws, { dots: 3, themes: ['kontinuitet', 'tillganglighet', 'samverkan'] })).json;
  const base = { code: ws.code.toLowerCase(), vote_id: v.id };

  const first = await ballot({ ...base, client_id: 'phone-aaaa-01', dots: { kontinuitet: 2, samverkan: 1 } });
  assert.equal(first.status, 201, first.text);
  assert.deepEqual(first.json, { vote_id: v.id, dots: { kontinuitet: 2, samverkan: 1 } });
  // The same phone sending the same ballot again (a retry): 200, counted once.
  const retry = await ballot({ ...base, client_id: 'phone-aaaa-01', dots: { samverkan: 1, kontinuitet: 2 } });
  assert.equal(retry.status, 200);
  assert.deepEqual(retry.json, first.json);
  // Voting otherwise is refused.
  const again = await ballot({ ...base, client_id: 'phone-aaaa-01', dots: { tillganglighet: 1 } });
  assert.equal(again.status, 409);

  const refusals = [
    [{ kontinuitet: 0 }, 422],
    [{ kontinuitet: 4 }, 422],
    [{ kontinuitet: 2, tillganglighet: 2 }, 422],
    [{ kontinuitet: 1.5 }, 422],
    [{ kontinuitet: '1' }, 422],
    [{ nosuchtheme: 1 }, 422],
    [{}, 422],
    [['kontinuitet'], 400],
  ];
  for (const [dots, status] of refusals) {
    const res = await ballot({ ...base, client_id: 'phone-bbbb-01', dots });
    assert.equal(res.status, status, `${JSON.stringify(dots)}: ${res.text}`);
  }
  assert.equal((await ballot({ ...base, dots: { kontinuitet: 1 } })).status, 400, 'client_id is required');
  assert.equal((await ballot({ ...base, client_id: 'short', dots: { kontinuitet: 1 } })).status, 422);
  assert.equal((await ballot({ ...base, code: 'ZZZZZZ', client_id: 'phone-bbbb-01', dots: { kontinuitet: 1 } })).status, 404);
  assert.equal((await ballot({ ...base, vote_id: 999999, client_id: 'phone-bbbb-01', dots: { kontinuitet: 1 } })).status, 404);
  assert.equal((await api(server, 'POST', '/api/ballots', { raw: '{}', headers: { 'content-type': 'text/plain' } })).status, 415);

  const second = await ballot({ ...base, client_id: 'phone-bbbb-01', dots: { samverkan: 3 } });
  assert.equal(second.status, 201);
  const list = await api(server, 'GET', `/api/workshops/${ws.id}/votes`, { key: server.key });
  const stored = list.json.votes[0];
  assert.equal(stored.ballots, 2);
  assert.deepEqual(stored.results, [
    { theme: 'samverkan', label: stored.themes[2].label, dots: 4, voters: 2 },
    { theme: 'kontinuitet', label: 'Kontinuitet', dots: 2, voters: 1 },
    { theme: 'tillganglighet', label: stored.themes[1].label, dots: 0, voters: 0 },
  ]);

  assert.equal((await patchVote(v.id, false)).status, 200);
  const late = await ballot({ ...base, client_id: 'phone-cccc-01', dots: { kontinuitet: 1 } });
  assert.equal(late.status, 409);
  assert.match(late.json.error, /closed/);
  // A stored ballot's retry still gets 200 after the vote closed.
  assert.equal((await ballot({ ...base, client_id: 'phone-bbbb-01', dots: { samverkan: 3 } })).status, 200);
});

test('events: phones get the vote without results, the presenter with results after each ballot', async () => {
  const ws = await workshopWithAnswers();
  const phone = await openEvents(server, `/api/workshops/${ws.id}/events`);
  const wall = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
  try {
    const snapPhone = await phone.next((e) => e.event === 'snapshot');
    const snapWall = await wall.next((e) => e.event === 'snapshot');
    assert.equal(snapPhone.data.vote, null);
    assert.equal(snapWall.data.vote, null);

    const v = (await openVote(ws, { dots: 2, themes: ['kontinuitet', 'samverkan'] })).json;
    const pv = await phone.next((e) => e.event === 'vote' && e.data.id === v.id && e.data.open);
    assert.deepEqual(pv.data.themes, v.themes);
    assert.equal(pv.data.results, undefined);
    assert.equal(pv.data.ballots, undefined);
    const wv = await wall.next((e) => e.event === 'vote' && e.data.id === v.id && e.data.open);
    assert.equal(wv.data.ballots, 0);
    assert.equal(wv.data.results.length, 2);

    const phoneCount = phone.events.length;
    const wallCount = wall.events.length;
    assert.equal((await ballot({ code: ws.code, vote_id: v.id, client_id: 'phone-ev-0001', dots: { samverkan: 2 } })).status, 201);
    const after = await wall.next((e) => e.event === 'vote' && e.data.ballots === 1, 3000, wallCount);
    assert.equal(after.data.results[0].theme, 'samverkan');
    assert.equal(after.data.results[0].dots, 2);
    // A retry is not a new ballot: no second event.
    assert.equal((await ballot({ code: ws.code, vote_id: v.id, client_id: 'phone-ev-0001', dots: { samverkan: 2 } })).status, 200);

    // Snapshots: the phone's has the vote without results, the presenter's with them.
    const phone2 = await openEvents(server, `/api/workshops/${ws.id}/events`);
    const wall2 = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
    try {
      const s1 = await phone2.next((e) => e.event === 'snapshot');
      const s2 = await wall2.next((e) => e.event === 'snapshot');
      assert.equal(s1.data.vote.id, v.id);
      assert.equal(s1.data.vote.results, undefined);
      assert.equal(s2.data.vote.ballots, 1);
      assert.equal(s2.data.vote.results[0].dots, 2);
    } finally {
      await phone2.close();
      await wall2.close();
    }

    assert.equal((await patchVote(v.id, false)).status, 200);
    const pc = await phone.next((e) => e.event === 'vote' && e.data.id === v.id && !e.data.open, 3000, phoneCount);
    assert.equal(pc.data.results, undefined);
    const wc = await wall.next((e) => e.event === 'vote' && e.data.id === v.id && !e.data.open, 3000, wallCount);
    assert.equal(wc.data.ballots, 1);
    assert.ok(!phone.events.slice(phoneCount).some((e) => e.event === 'vote' && e.data.results),
      'no vote event with results ever reached the phone');
    const ballotEvents = wall.events.slice(wallCount).filter((e) => e.event === 'vote' && e.data.open && e.data.ballots === 1);
    assert.equal(ballotEvents.length, 1, 'one event per new ballot');

    // Opening a new vote tells the room the old one closed.
    const w2 = (await openVote(ws, { themes: ['kontinuitet'] })).json;
    await patchVote(v.id, true);
    await phone.next((e) => e.event === 'vote' && e.data.id === w2.id && !e.data.open, 3000, phoneCount);
  } finally {
    await phone.close();
    await wall.close();
  }
});

test('snapshots after a close: the presenter gets the latest vote with its result, phones get null', async () => {
  const ws = await workshopWithAnswers();
  const first = (await openVote(ws, { dots: 2, themes: ['kontinuitet', 'samverkan'] })).json;
  const v = (await openVote(ws, { dots: 3, themes: ['kontinuitet', 'samverkan'] })).json;
  assert.equal((await ballot({ code: ws.code, vote_id: v.id, client_id: 'phone-cl-0001', dots: { samverkan: 3 } })).status, 201);
  assert.equal((await patchVote(v.id, false)).status, 200);

  const snapshots = async () => {
    const phone = await openEvents(server, `/api/workshops/${ws.id}/events`);
    const wall = await openEvents(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
    try {
      return { phone: (await phone.next((e) => e.event === 'snapshot')).data, wall: (await wall.next((e) => e.event === 'snapshot')).data };
    } finally {
      await phone.close();
      await wall.close();
    }
  };
  let s = await snapshots();
  assert.equal(s.phone.vote, null, 'phones only ever see an open vote');
  assert.equal(s.wall.vote.id, v.id, 'the vote opened last, not the earlier one');
  assert.equal(s.wall.vote.open, false);
  assert.notEqual(s.wall.vote.closed, null);
  assert.equal(s.wall.vote.ballots, 1);
  assert.deepEqual(s.wall.vote.results.map((r) => [r.theme, r.dots]), [['samverkan', 3], ['kontinuitet', 0]]);
  assert.equal((await api(server, 'GET', `/api/join/${ws.code}`)).json.vote, null);

  // Reopening the earlier vote makes it the one both see.
  assert.equal((await patchVote(first.id, true)).status, 200);
  s = await snapshots();
  assert.equal(s.wall.vote.id, first.id);
  assert.equal(s.wall.vote.open, true);
  assert.equal(s.phone.vote.id, first.id);
  assert.equal(s.phone.vote.results, undefined);
});

test('votes and ballots survive a restart', async () => {
  const first = await startServer();
  let ws;
  let v;
  try {
    ws = await workshopWithAnswers(first);
    v = (await openVote(ws, { dots: 4, themes: ['kontinuitet', 'samverkan'] }, first)).json;
    assert.equal((await ballot({ code: ws.code, vote_id: v.id, client_id: 'phone-rs-0001', dots: { kontinuitet: 3, samverkan: 1 } }, first)).status, 201);
  } finally {
    assert.equal((await first.stop()).code, 0);
  }
  const second = await startServer({ dir: first.dir, key: first.key });
  try {
    const list = await api(second, 'GET', `/api/workshops/${ws.id}/votes`, { key: second.key });
    assert.equal(list.status, 200);
    assert.equal(list.json.votes.length, 1);
    const got = list.json.votes[0];
    assert.equal(got.open, true);
    assert.equal(got.dots, 4);
    assert.equal(got.ballots, 1);
    assert.deepEqual(got.results.map((r) => [r.theme, r.dots]), [['kontinuitet', 3], ['samverkan', 1]]);
    const join = await api(second, 'GET', `/api/join/${ws.code}`);
    assert.equal(join.json.vote.id, v.id);
    // The phone's ballot is still its one ballot: a retry is 200, another ballot 409.
    assert.equal((await ballot({ code: ws.code, vote_id: v.id, client_id: 'phone-rs-0001', dots: { kontinuitet: 3, samverkan: 1 } }, second)).status, 200);
    assert.equal((await ballot({ code: ws.code, vote_id: v.id, client_id: 'phone-rs-0001', dots: { samverkan: 1 } }, second)).status, 409);
  } finally {
    assert.equal((await second.stop()).code, 0);
    second.cleanup();
  }
});
