// Every acknowledged answer survives kill -9; SIGTERM stops cleanly (exit 0,
// so no sanitizer report) and finishes answers already in flight; a COMMIT
// the database refuses answers 503 and stores nothing.  Every test requires
// acknowledgements and reads the database itself (sqlite3), so none of them
// can pass on an empty loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { startServer, api, BIN } from '../lib/server.mjs';
import { createWorkshop, setOpen, newAnswerId, openEvents } from './helpers.mjs';

function post(server, ws, i) {
  return api(server, 'POST', '/api/answers', {
    body: { code: ws.code, question_id: ws.questions[0].id, answer_id: newAnswerId(), text: `Svar nummer ${i}`, client_id: `durable${i}phone` },
  }).catch((e) => ({ status: 0, error: e }));
}

// The stored answers of database `db` as answer_id -> [texts], read with the sqlite3 CLI.
function storedAnswers(db) {
  const out = execFileSync('sqlite3', ['-json', db, 'SELECT answer_id, text FROM answers'], { encoding: 'utf8' });
  const byId = new Map();
  for (const row of out.trim() ? JSON.parse(out) : []) byId.set(row.answer_id, [...(byId.get(row.answer_id) || []), row.text]);
  return byId;
}

// Every acknowledged answer is stored exactly once, with its text.
function assertStored(db, acked) {
  const stored = storedAnswers(db);
  for (const a of acked) assert.deepEqual(stored.get(a.answer_id), [a.text], `acknowledged answer ${a.answer_id}`);
}

// POST an answer with node:http, whose end() callback says when the request
// has left for the server: `onSent` runs then.  Resolves with {status,
// json}; status 0 when the connection failed or was cut.
function postTimed(server, agent, body, onSent) {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const req = http.request(`${server.url}/api/answers`, {
      method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* cut or not JSON */ }
        resolve({ status: res.complete ? res.statusCode : 0, json });
      });
      res.on('aborted', () => resolve({ status: 0 }));
      res.on('error', () => resolve({ status: 0 }));
    });
    req.on('error', () => resolve({ status: 0 }));
    req.end(data, onSent);
  });
}

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

// A second client (the sqlite3 CLI) that holds the database's write lock
// until release(); resolves once it has the lock.
async function holdWriteLock(db) {
  const proc = spawn('sqlite3', [db], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((r) => proc.on('exit', r));
  await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => { out += d; if (out.includes('locked')) resolve(); });
    exited.then(() => reject(new Error(`sqlite3 exited: ${out}`)));
    proc.stdin.write(".timeout 10000\nBEGIN IMMEDIATE;\nSELECT 'locked';\n");
  });
  return { async release() { proc.stdin.end('ROLLBACK;\n'); await exited; } };
}

test('acknowledged answers survive kill -9', async () => {
  const first = await startServer();
  const ws = await createWorkshop(first);
  await setOpen(first, ws.questions[0].id, true);
  // Eight phones post one answer after another until the server dies.  Once
  // 40 answers are acknowledged a second client takes the database's write
  // lock, so the writer's next BEGIN waits (up to its 5 s busy timeout) with
  // answers queued; the kill goes 100 ms later, when answers have been sent
  // and are unanswered.  So it always falls in the middle of the stream,
  // never in a quiet moment between two group commits, whatever the
  // machine's speed.  (Kills at random moments: crash.test.mjs.)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const acked = [];
  let cut = 0;
  let next = 0;
  let killed = null;
  const out = new Set();    // sent and not answered yet
  let outAtKill = new Set();
  let cutOutAtKill = 0;
  async function killMidStream() {
    const lock = await holdWriteLock(first.db);
    await sleep(100);
    while (out.size === 0) await sleep(10);
    outAtKill = new Set(out);
    await first.kill9();
    await lock.release();
  }
  async function phone() {
    while (next < 5000) {
      const i = next++;
      const body = { code: ws.code, question_id: ws.questions[0].id, answer_id: newAnswerId(), text: `Svar nummer ${i}`, client_id: `durable${i}phone` };
      const r = await postTimed(first, agent, body, () => out.add(i));
      out.delete(i);
      if (r.status === 201) acked.push(r.json);
      else { cut++; if (r.status === 0 && outAtKill.has(i)) cutOutAtKill++; return; }
      if (acked.length >= 40 && !killed) killed = killMidStream();
    }
  }
  await Promise.all(Array.from({ length: 8 }, phone));
  agent.destroy();
  await (killed ?? first.kill9());
  assert.ok(acked.length >= 40, `answers were acknowledged before the kill (${acked.length})`);
  assert.ok(cut > 0, 'the kill landed mid-stream: some requests were refused or cut');
  assert.ok(cutOutAtKill > 0, `answers the server had been sent were cut by the kill (${outAtKill.size} out)`);

  const second = await startServer({ dir: first.dir, key: first.key });
  try {
    const all = await api(second, 'GET', `/api/workshops/${ws.id}/answers`, { key: second.key });
    assert.equal(all.status, 200);
    const stored = new Map(all.json.answers.map((a) => [a.answer_id, a]));
    for (const a of acked) {
      assert.ok(stored.has(a.answer_id), `acknowledged answer ${a.answer_id} lost`);
      assert.equal(stored.get(a.answer_id).text, a.text);
    }
    assertStored(second.db, acked);
  } finally {
    const { code } = await second.stop();
    second.cleanup();
    assert.equal(code, 0);
  }
});

// SIGTERM with answers queued in the writer: one answer is acknowledged
// first; then a second client holds the write lock, so the writer takes the
// next answer (`blocker`) and waits in BEGIN (busy timeout 5 s) while `n`
// more are posted and queued behind it; SIGTERM goes, and the lock is
// released only after it.  Every acknowledgement of the `n` therefore came
// after the signal, from a batch the writer began after it.  Resolves with
// the first reply, the blocker's, the `n` replies, how many of those were
// out at the signal, and the exit status.
async function sigtermWithQueuedAnswers(server, ws, n) {
  const first = await post(server, ws, 'first');
  assert.equal(first.status, 201, first.text);
  const lock = await holdWriteLock(server.db);
  const blocker = post(server, ws, 'blocker');
  await sleep(100);
  let settled = 0;
  const replies = Array.from({ length: n }, (_, i) => post(server, ws, i).then((r) => { settled++; return r; }));
  await sleep(300);
  const outAtSignal = n - settled;
  const stopped = server.stop();
  await sleep(300);
  await lock.release();
  const results = await Promise.all(replies);
  return { first, blocker: await blocker, results, outAtSignal, exit: await stopped };
}

// What sigtermWithQueuedAnswers returned: a clean exit, the writer's batch
// and the answers queued behind it finished after the signal, every
// acknowledged answer stored once, every stored answer acknowledged.
function assertFinished(server, { first, blocker, results, outAtSignal, exit: { code, signal } }) {
  assert.equal(signal, null);
  assert.equal(code, 0, server.output().stderr);
  assert.ok(!/ERROR: (AddressSanitizer|LeakSanitizer)|runtime error/.test(server.output().stderr));
  assert.ok(outAtSignal > 0, 'answers were in flight when SIGTERM went');
  assert.equal(blocker.status, 201, 'the batch waiting in BEGIN at the signal is committed and acknowledged');
  // Acknowledged, refused (503), or never reached a handler (the connection closed: status 0).
  for (const r of results) assert.ok([0, 201, 503].includes(r.status), `status ${r.status}`);
  const acked = results.filter((r) => r.status === 201).map((r) => r.json);
  assert.ok(acked.length >= 1, 'answers queued behind it at the signal were stored and acknowledged');
  assertStored(server.db, [first.json, blocker.json, ...acked]);
  // The writer's closing count is what the database holds, and the stop
  // waited for the replies: no answer was stored without its phone hearing so.
  const m = /inspel serve: (\d+) answers in \d+ batches/.exec(server.output().stderr);
  assert.ok(m, server.output().stderr);
  assert.equal(Number(m[1]), storedAnswers(server.db).size);
  assert.equal(storedAnswers(server.db).size, 2 + acked.length, 'every answer stored was acknowledged');
}

test('SIGTERM finishes in-flight answers and exits 0', async () => {
  const server = await startServer();
  const ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
  assertFinished(server, await sigtermWithQueuedAnswers(server, ws, 100));
  server.cleanup();
});

test('SIGTERM with sleeping event streams and answers in flight exits 0', async () => {
  const server = await startServer();
  const ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
  // Streams that have read their snapshot sit suspended in the server until the next event.
  const streams = await Promise.all(Array.from({ length: 20 }, (_, i) => openEvents(server, `/api/workshops/${ws.id}/events${i % 2 ? '?answers=1' : ''}`, { key: server.key })));
  await Promise.all(streams.map((s) => s.next((e) => e.event === 'snapshot')));
  const stop = await sigtermWithQueuedAnswers(server, ws, 50);
  await Promise.all(streams.map((s) => s.close()));
  assertFinished(server, stop);
  server.cleanup();
});

test('a COMMIT the database refuses answers 503, stores nothing and refunds the token', async () => {
  // One token per phone and one more a minute: the retry below gets 201 only with the token back.
  const server = await startServer({ args: ['--rate-burst', '1', '--rate-per-min', '1'] });
  try {
    const ws = await createWorkshop(server);
    await setOpen(server, ws.questions[0].id, true);
    // A second client makes COMMIT fail after BEGIN and INSERT succeeded: a
    // trigger writes, per answer, a row whose deferred foreign key points at
    // no workshop, and SQLite checks deferred keys at COMMIT (see
    // test_failed_commit in tests/test_writer.c).
    execFileSync('sqlite3', [server.db,
      'CREATE TABLE commit_guard (workshop INTEGER REFERENCES workshops(pk) DEFERRABLE INITIALLY DEFERRED);'
      + 'CREATE TRIGGER commit_guard AFTER INSERT ON answers BEGIN INSERT INTO commit_guard VALUES (-1); END;']);
    const body = { code: ws.code, question_id: ws.questions[0].id, answer_id: newAnswerId(), text: 'Fast läkarkontakt', client_id: 'commitphone01' };
    const refused = await api(server, 'POST', '/api/answers', { body });
    assert.equal(refused.status, 503, refused.text);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1, 'Retry-After');
    assert.equal(storedAnswers(server.db).size, 0, 'nothing is stored');

    execFileSync('sqlite3', [server.db, 'DROP TRIGGER commit_guard; DROP TABLE commit_guard;']);
    const retried = await api(server, 'POST', '/api/answers', { body });
    assert.equal(retried.status, 201, `the phone's retry is stored with its refunded token: ${retried.text}`);
    assertStored(server.db, [retried.json]);
    // The bucket is now empty: a new answer from the phone waits, so the 201 above did need the refund.
    const more = await api(server, 'POST', '/api/answers', { body: { ...body, answer_id: newAnswerId() } });
    assert.equal(more.status, 429, more.text);
  } finally {
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0, server.output().stderr);
  }
});

test('first start on an empty key table prints a facilitator key', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { spawn } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'inspel-first-'));
  const proc = spawn(BIN, ['serve', '--db', join(dir, 'db'), '--port', '0', '--bind', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(out)), 10000);
    proc.stdout.on('data', (d) => { out += d; if (/listening on/.test(out)) { clearTimeout(t); resolve(); } });
  });
  const key = /facilitator key: (\S+)/.exec(out)[1];
  const url = /listening on (\S+)/.exec(out)[1];
  const res = await fetch(`${url}/api/workshops`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(res.status, 200);
  const exit = new Promise((r) => proc.on('exit', (code) => r(code)));
  proc.kill('SIGINT');
  assert.equal(await exit, 0);
  rmSync(dir, { recursive: true, force: true });
});

test('usage errors exit 2', () => {
  for (const args of [[], ['nosuch'], ['serve'], ['serve', '--db'], ['serve', '--db', 'x', '--port', 'abc'],
    ['serve', '--db', 'x', '--port', '70000'], ['serve', '--db', 'x', '--tls-cert', 'c'], ['keys'], ['keys', 'add'],
    ['keys', 'revoke', '--db', 'x'], ['serve', '--db', 'x', '--idle-timeout', '0'],
    ['serve', '--db', 'x', '--idle-timeout', '3601'], ['serve', '--db', 'x', '--join-burst', '9'],
    ['serve', '--db', 'x', '--max-conn-per-ip', '-1'], ['serve', '--db', 'x', '--join-per-min', 'x']]) {
    let status = 0;
    try { execFileSync(BIN, args, { stdio: 'pipe' }); } catch (e) { status = e.status; }
    assert.equal(status, 2, args.join(' '));
  }
  assert.match(execFileSync(BIN, ['--version'], { encoding: 'utf8' }), /^inspel \d/);
  assert.match(execFileSync(BIN, ['help'], { encoding: 'utf8' }), /serve/);
});
