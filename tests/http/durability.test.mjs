// Every acknowledged answer survives kill -9; SIGTERM stops cleanly (exit 0,
// so no sanitizer report) and finishes answers already in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, api, BIN } from '../lib/server.mjs';
import { createWorkshop, setOpen, newAnswerId, openEvents } from './helpers.mjs';

function post(server, ws, i) {
  return api(server, 'POST', '/api/answers', {
    body: { code: ws.code, question_id: ws.questions[0].id, answer_id: newAnswerId(), text: `Svar nummer ${i}`, client_id: `durable${i}phone` },
  }).catch(() => ({ status: 0 }));
}

test('acknowledged answers survive kill -9', async () => {
  const first = await startServer();
  const ws = await createWorkshop(first);
  await setOpen(first, ws.questions[0].id, true);
  // Eight phones post one answer after another until the server dies; the
  // kill lands once 40 answers are acknowledged, so it always falls in the
  // middle of the stream whatever the machine's speed.
  const acked = [];
  let cut = 0;
  let next = 0;
  let killed = null;
  async function phone() {
    while (next < 5000) {
      const r = await post(first, ws, next++);
      if (r.status === 201) acked.push(r.json);
      else { cut++; return; }
      if (acked.length >= 40 && !killed) killed = first.kill9();
    }
  }
  await Promise.all(Array.from({ length: 8 }, phone));
  await (killed ?? first.kill9());
  assert.ok(acked.length >= 40, `answers were acknowledged before the kill (${acked.length})`);
  assert.ok(cut > 0, 'the kill landed mid-stream: some requests were refused or cut');

  const second = await startServer({ dir: first.dir, key: first.key });
  try {
    const all = await api(second, 'GET', `/api/workshops/${ws.id}/answers`, { key: second.key });
    assert.equal(all.status, 200);
    const stored = new Map(all.json.answers.map((a) => [a.answer_id, a]));
    for (const a of acked) {
      assert.ok(stored.has(a.answer_id), `acknowledged answer ${a.answer_id} lost`);
      assert.equal(stored.get(a.answer_id).text, a.text);
    }
  } finally {
    const { code } = await second.stop();
    second.cleanup();
    assert.equal(code, 0);
  }
});

test('SIGTERM finishes in-flight answers and exits 0', async () => {
  const server = await startServer();
  const ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
  const replies = Array.from({ length: 100 }, (_, i) => post(server, ws, i));
  await new Promise((r) => setTimeout(r, 20));
  const stopped = server.stop();
  const results = await Promise.all(replies);
  const { code, signal } = await stopped;
  assert.equal(signal, null);
  assert.equal(code, 0, server.output().stderr);
  assert.ok(!/ERROR: (AddressSanitizer|LeakSanitizer)/.test(server.output().stderr));
  // Everything acknowledged is stored; the rest was refused or never connected.
  const acked = results.filter((r) => r.status === 201).map((r) => r.json.answer_id);
  for (const r of results) assert.ok([0, 201, 503].includes(r.status), `status ${r.status}`);
  const out = execFileSync('sqlite3', [server.db, 'SELECT answer_id FROM answers'], { encoding: 'utf8' });
  for (const id of acked) assert.ok(out.includes(id), `acknowledged ${id} missing after SIGTERM`);
  server.cleanup();
});

test('SIGTERM with sleeping event streams and answers in flight exits 0', async () => {
  const server = await startServer();
  const ws = await createWorkshop(server);
  await setOpen(server, ws.questions[0].id, true);
  // Streams that have read their snapshot sit suspended in the server until the next event.
  const streams = await Promise.all(Array.from({ length: 20 }, (_, i) => openEvents(server, `/api/workshops/${ws.id}/events${i % 2 ? '?answers=1' : ''}`, { key: server.key })));
  await Promise.all(streams.map((s) => s.next((e) => e.event === 'snapshot')));
  const replies = Array.from({ length: 50 }, (_, i) => post(server, ws, i));
  const stopped = server.stop();
  const results = await Promise.all(replies);
  const { code, signal } = await stopped;
  await Promise.all(streams.map((s) => s.close()));
  assert.equal(signal, null);
  assert.equal(code, 0, server.output().stderr);
  assert.ok(!/ERROR: (AddressSanitizer|LeakSanitizer)|runtime error/.test(server.output().stderr));
  for (const r of results) assert.ok([0, 201, 503].includes(r.status), `status ${r.status}`);
  server.cleanup();
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
