// `inspel serve --demo`: the demo workshop it creates comes seeded with
// answers, so the themes view has answers and themes at once; a restart
// adds nothing, and a database that already has a workshop is not touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from '../lib/server.mjs';

// Resolve with the demo workshop's id once serve has printed its block.
async function demoWorkshop(server) {
  for (let i = 0; i < 150; i++) {
    const m = /\/present\/([a-z2-7]{16})/.exec(server.output().stdout);
    if (m && /facilitator key: +\S+\n/.test(server.output().stdout)) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no demo block:\n${server.output().stdout}\n${server.output().stderr}`);
}

// The ids of the questions that have answers in a themes view.
function ws0(view) {
  return [...new Set(view.answers.map((a) => a.question_id))];
}

test('--demo seeds the new demo workshop with answers across questions, tables and organisations', async () => {
  let server = await startServer({ args: ['--demo'] });
  const { dir, key } = server;
  try {
    const id = await demoWorkshop(server);
    const themes = await api(server, 'GET', `/api/workshops/${id}/themes`, { key });
    assert.equal(themes.status, 200);
    assert.ok(themes.json.total >= 30 && themes.json.total <= 40, `total ${themes.json.total}`);
    assert.equal(themes.json.answers.length, themes.json.total);
    const given = themes.json.themes.filter((t) => t.origin === 'given' && t.size > 0);
    assert.ok(given.length >= 5, `given themes with answers: ${given.map((t) => t.id)}`);
    assert.ok(themes.json.themes.some((t) => t.id === 'kontinuitet' && t.size > 0));
    const distinct = (field) => new Set(themes.json.answers.map((a) => a[field])).size;
    assert.equal(distinct('question_id'), 4);
    assert.ok(distinct('group') >= 3);
    assert.ok(distinct('organisation') >= 3);
    assert.ok(themes.json.answers.some((a) => a.text === 'Kontinuitet.'));

    // Every question with seeded answers has its word cloud on first start,
    // without waiting for a new answer (the live thread computes it within
    // about a second of the seeding).
    for (const q of ws0(themes.json)) {
      let words = [];
      for (let i = 0; i < 50 && words.length === 0; i++) {
        const got = await api(server, 'GET', `/api/workshops/${id}/words?question_id=${q}`, { key });
        assert.equal(got.status, 200);
        words = got.json.words;
        if (words.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(words.length > 0, `question ${q} has an empty word cloud on first start`);
    }

    // What `make run` prints says where to open the console and the
    // projector, that phones cannot reach a loopback address, and how to stop.
    const printed = server.output().stdout;
    assert.match(printed, /facilitator console: +http:\/\/127\.0\.0\.1:\d+\/console\n/);
    assert.match(printed, /Open the facilitator console and the presenter \(projector\) at the\n +addresses above/);
    assert.match(printed, /phones cannot reach them/);
    assert.match(printed, /Press Ctrl\+C to stop the server\./);

    // Only the first question stays open, so phones can answer straight away.
    const ws = await api(server, 'GET', `/api/workshops/${id}`, { key });
    assert.deepEqual(ws.json.questions.map((q) => q.open), [true, false, false, false]);
    assert.equal((await server.stop()).code, 0);

    // A restart finds the workshop and stores nothing twice.
    server = await startServer({ dir, key, args: ['--demo'] });
    assert.equal(await demoWorkshop(server), id);
    const again = await api(server, 'GET', `/api/workshops/${id}/answers`, { key });
    assert.equal(again.json.answers.length, themes.json.total);
    assert.equal((await server.stop()).code, 0);
  } finally {
    await server.stop();
    server.cleanup();
  }
});

test('--demo leaves an existing database\'s workshops without seeded answers', async () => {
  let server = await startServer();
  const { dir, key } = server;
  try {
    const created = await api(server, 'POST', '/api/workshops', { key, body: { title: 'Dialog Arvika', template: 'primarvard' } });
    assert.equal(created.status, 201);
    assert.equal((await server.stop()).code, 0);

    server = await startServer({ dir, key, args: ['--demo'] });
    assert.equal(await demoWorkshop(server), created.json.id);
    const answers = await api(server, 'GET', `/api/workshops/${created.json.id}/answers`, { key });
    assert.equal(answers.status, 200);
    assert.deepEqual(answers.json.answers, []);
    const list = await api(server, 'GET', '/api/workshops', { key });
    assert.equal(list.json.workshops.length, 1);
    assert.equal((await server.stop()).code, 0);
  } finally {
    await server.stop();
    server.cleanup();
  }
});

test('--demo revokes the demo key of the previous start when it mints a new one', async () => {
  const demoKey = (server) => /facilitator key: +(\S+)\n/.exec(server.output().stdout)[1];
  let server = await startServer({ args: ['--demo'] });
  const { dir, key } = server;
  try {
    await demoWorkshop(server);
    const first = demoKey(server);
    assert.equal((await api(server, 'GET', '/api/workshops', { key: first })).status, 200);
    assert.equal((await server.stop()).code, 0);

    server = await startServer({ dir, key, args: ['--demo'] });
    await demoWorkshop(server);
    const second = demoKey(server);
    assert.notEqual(second, first);
    assert.equal((await api(server, 'GET', '/api/workshops', { key: first })).status, 401, 'the old demo key still works');
    assert.equal((await api(server, 'GET', '/api/workshops', { key: second })).status, 200);
    // Keys made otherwise are not the demo's to revoke.
    assert.equal((await api(server, 'GET', '/api/workshops', { key })).status, 200);
    assert.equal((await server.stop()).code, 0);
  } finally {
    await server.stop();
    server.cleanup();
  }
});
