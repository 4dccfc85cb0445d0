// Crash test: many phones answer at once while the server is killed (-9) at
// random moments ten times and restarted on the same database and port;
// each phone retries an answer with the same answer_id until it gets 200
// or 201, as the real outbox does.  At the end every acknowledged answer is
// in the database exactly once, with its text, and nothing else is.
//
// Bounded to about a minute: the kills come 0.3-1.5 s apart, each after
// answers are in flight; then the phones finish what they hold (at most
// 30 s) and the server is stopped cleanly (exit 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, api, stopServers } from '../lib/server.mjs';
import { createWorkshop, setOpen } from './helpers.mjs';

const PHONES = 30;
const KILLS = 10;
const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

// What the phones saw (`acked`: answer_id -> {text}), against the database,
// read by a second client (sqlite3), and the server's own view: each
// acknowledged answer once, with its text, and no other answer.
async function checkStored(server, ws, acked) {
  const rows = JSON.parse(execFileSync('sqlite3', ['-json', server.db, 'SELECT answer_id, text FROM answers'], { encoding: 'utf8' }) || '[]');
  const count = new Map();
  for (const r of rows) count.set(r.answer_id, (count.get(r.answer_id) || 0) + 1);
  for (const id of acked.keys()) assert.equal(count.get(id), 1, `acknowledged answer ${id} stored ${count.get(id) || 0} times`);
  for (const r of rows) {
    assert.ok(acked.has(r.answer_id), `${r.answer_id} stored but never acknowledged, though its phone retried until it was`);
    assert.equal(r.text, acked.get(r.answer_id).text);
  }
  assert.equal(rows.length, acked.size);
  assert.equal(execFileSync('sqlite3', [server.db, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim(), 'ok');
  // The server's own view agrees (the counts it keeps with each question).
  const all = await api(server, 'GET', `/api/workshops/${ws.id}/answers`, { key: server.key });
  assert.equal(all.status, 200);
  assert.equal(all.json.answers.length, acked.size);
  const live = await api(server, 'GET', `/api/workshops/${ws.id}`, { key: server.key });
  assert.equal(live.json.questions[0].answers + live.json.questions[1].answers, acked.size);
}

test(`${PHONES} phones, the server killed -9 ${KILLS} times: every acknowledged answer stored exactly once`, { timeout: 180000 }, async (t) => {
  // No rate limit: the phones send far more than a person would.
  const args = ['--rate-burst', '0'];
  let server = await startServer({ args });
  const port = new URL(server.url).port;
  const ws = await createWorkshop(server, { title: 'Krasch', template: 'primarvard' });
  await setOpen(server, ws.questions[0].id, true);
  await setOpen(server, ws.questions[1].id, true);

  const acked = new Map();   // answer_id -> {text, status}
  let out = 0;               // requests sent and not answered
  let sending = true;        // phones start new answers while true
  let retries = 0;
  let afterLoss = 0;         // 200s: stored before a kill, acknowledged only on a retry
  const problems = [];

  // One POST; status 0 when the connection failed, was cut or hung.
  async function post(body) {
    out++;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/answers`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15000),
      });
      const text = await res.text();
      return { status: res.status, text };
    } catch {
      return { status: 0, text: '' };
    } finally {
      out--;
    }
  }

  async function phone(p) {
    for (let n = 0; sending; n++) {
      const body = {
        code: ws.code, question_id: ws.questions[n % 2].id, answer_id: `crash-${p}-${n}`,
        text: `Telefon ${p} svar ${n}`, client_id: `crashphone${p}`,
      };
      let tries = 0;
      for (;;) {
        const r = await post(body);
        if (r.status === 201 || r.status === 200) {
          if (acked.has(body.answer_id)) problems.push(`${body.answer_id} acknowledged twice`);
          acked.set(body.answer_id, { text: body.text, status: r.status });
          if (r.status === 200) afterLoss++;
          break;
        }
        // Down, cut, restarting (0) or busy (503): the same answer again, as the outbox does.
        if (r.status !== 0 && r.status !== 503) {
          problems.push(`${body.answer_id}: ${r.status} ${r.text}`);
          return;
        }
        tries++;
        retries++;
        if (tries > 1000) { problems.push(`${body.answer_id}: gave up`); return; }
        await sleep(20 + Math.random() * 80);
      }
    }
  }

  const phones = Array.from({ length: PHONES }, (_, p) => phone(p));
  const kills = [];
  try {
    for (let k = 0; k < KILLS; k++) {
      await sleep(300 + Math.random() * 1200);
      // Kill only with answers in flight, so each kill falls mid-stream.
      while (out === 0) await sleep(5);
      kills.push({ out, acked: acked.size });
      await server.kill9();
      server = await startServer({ dir: server.dir, key: server.key, args: [...args, '--port', port] });
    }
    sending = false;
    let timer;
    const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('phones did not finish in 30 s')), 30000); });
    await Promise.race([Promise.all(phones), late]).finally(() => clearTimeout(timer));
    assert.deepEqual(problems, []);
    assert.equal(kills.length, KILLS);
    for (const k of kills) assert.ok(k.out > 0, 'every kill came with answers in flight');
    assert.ok(kills[KILLS - 1].acked > kills[0].acked, 'answers kept coming between the kills');
    await checkStored(server, ws, acked);
  } finally {
    sending = false;
    await stopServers(server);
  }
  t.diagnostic(`crash: ${KILLS} kills, ${acked.size} answers acknowledged and stored once, ${retries} retries, ${afterLoss} acknowledged only on a retry (stored before a kill), in flight at the kills: ${kills.map((k) => k.out).join(' ')}`);
});
