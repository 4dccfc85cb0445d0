// `inspel backup` while answers stream in, and `inspel restore`: every answer
// acknowledged before the backup started is in the copy, the copy passes
// PRAGMA integrity_check, and a restore refuses a database a server has open
// or one that holds data (without --force).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, api, BIN } from '../lib/server.mjs';
import { createWorkshop, setOpen, newAnswerId } from './helpers.mjs';

const run = promisify(execFile);
const PHONES = 24;

// The sqlite3 shell, when the machine has it (tests/run.sh's packages include it).
function sqlite(db, sql) {
  const r = spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
  return r.error ? null : r.stdout.trim();
}

test('backup while answers stream in; restore; every answer acknowledged before the backup is there', async () => {
  const server = await startServer({ args: ['--rate-burst', '0'] });
  const out = mkdtempSync(join(tmpdir(), 'inspel-backup-'));
  const copy = join(out, 'backup.db');
  let restored = null;
  try {
    const ws = await createWorkshop(server);
    await setOpen(server, ws.questions[0].id, true);
    await setOpen(server, ws.questions[1].id, true);

    const acked = [];
    let stop = false;
    let sent = 0;
    async function phone(p) {
      while (!stop) {
        const i = sent++;
        const r = await api(server, 'POST', '/api/answers', {
          body: { code: ws.code, question_id: ws.questions[i % 2].id, answer_id: newAnswerId(), text: `Svar ${i} från telefon ${p}`, client_id: `backupphone${p}` },
        }).catch(() => ({ status: 0 }));
        if (r.status === 201) acked.push(r.json);
      }
    }
    const phones = Array.from({ length: PHONES }, (_, p) => phone(p));
    while (acked.length < 300) await new Promise((r) => setTimeout(r, 10));

    // Everything acknowledged up to here must be in the copy; answers keep coming while it is made.
    const before = acked.slice();
    const backup = await run(BIN, ['backup', '--db', server.db, '--out', copy]);
    const during = acked.length - before.length;
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await Promise.all(phones);
    assert.match(backup.stdout, /integrity_check ok/);
    assert.ok(acked.length > before.length, `answers went on during and after the backup (${during} during)`);
    assert.ok(!existsSync(`${copy}-wal`), 'a self-contained file');
    const check = sqlite(copy, 'PRAGMA integrity_check');
    if (check !== null) assert.equal(check, 'ok');

    // A backup is never overwritten, and a restore refuses the running server's database.
    const again = spawnSync(BIN, ['backup', '--db', server.db, '--out', copy], { encoding: 'utf8' });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /exists/);
    const busy = spawnSync(BIN, ['restore', '--from', copy, '--db', server.db, '--force'], { encoding: 'utf8' });
    assert.equal(busy.status, 1);
    assert.match(busy.stderr, /a server has .* open; stop it first/);

    // Restore into a new place and serve it.
    const dir = mkdtempSync(join(tmpdir(), 'inspel-restored-'));
    const target = join(dir, 'inspel.db');
    const res = execFileSync(BIN, ['restore', '--from', copy, '--db', target], { encoding: 'utf8' });
    assert.match(res, /integrity_check ok/);
    const refused = spawnSync(BIN, ['restore', '--from', copy, '--db', target], { encoding: 'utf8' });
    assert.equal(refused.status, 1, 'a database that holds data needs --force');
    assert.match(refused.stderr, /--force/);
    assert.equal(spawnSync(BIN, ['restore', '--from', copy, '--db', target, '--force']).status, 0);
    assert.equal(spawnSync(BIN, ['restore', '--from', join(dir, 'nothing.db'), '--db', join(dir, 'x.db')]).status, 1);

    // The copy holds the keys too: the first server's (admin) key works on it.
    restored = await startServer({ dir, key: server.key });
    const all = await api(restored, 'GET', `/api/workshops/${ws.id}/answers`, { key: restored.key });
    assert.equal(all.status, 200);
    const stored = new Map(all.json.answers.map((a) => [a.answer_id, a]));
    for (const a of before) {
      assert.ok(stored.has(a.answer_id), `answer ${a.answer_id} acknowledged before the backup is missing`);
      assert.equal(stored.get(a.answer_id).text, a.text);
    }
    assert.ok(stored.size <= acked.length + PHONES, 'nothing in the copy that was never sent');
    // The copy is a working database: the restored server takes answers.
    const more = await api(restored, 'POST', '/api/answers', {
      body: { code: ws.code, question_id: ws.questions[0].id, answer_id: newAnswerId(), text: 'Efter återställningen' },
    });
    assert.equal(more.status, 201);
    assert.ok(statSync(target).size > 0);
  } finally {
    if (restored) {
      const { code } = await restored.stop();
      restored.cleanup();
      assert.equal(code, 0);
    }
    const { code } = await server.stop();
    server.cleanup();
    rmSync(out, { recursive: true, force: true });
    assert.equal(code, 0);
  }
});
