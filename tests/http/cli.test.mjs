// The command line around the server: --demo, TLS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../lib/server.mjs';

// Start `inspel serve ARGS` and resolve with {proc, out} once it listens.
function serve(args) {
  const proc = spawn(BIN, ['serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no listening line:\n${out}\n${err}`)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      // --demo prints its block right after the listening line; wait for the key.
      if (/listening on/.test(out) && (!args.includes('--demo') || /facilitator key: +\S+\n/.test(out))) {
        clearTimeout(t);
        resolve({ proc, out: () => out, err: () => err });
      }
    });
    proc.on('exit', (code) => { clearTimeout(t); reject(new Error(`exited ${code}:\n${out}\n${err}`)); });
  });
}

async function stop(proc) {
  const exited = new Promise((r) => proc.on('exit', (code) => r(code)));
  proc.kill('SIGTERM');
  return exited;
}

test('--demo creates the demo workshop once and a fresh key per start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'inspel-demo-'));
  const db = join(dir, 'demo.db');
  try {
    const first = await serve(['--db', db, '--port', '0', '--bind', '127.0.0.1', '--demo']);
    const out = first.out();
    const url = /listening on (\S+)/.exec(out)[1];
    const code = /\/j\/([A-Z0-9]{6})/.exec(out)[1];
    const id = /\/present\/([a-z2-7]{16})/.exec(out)[1];
    assert.match(out, /\/console/);
    const key = /facilitator key: +(\S+)/.exec(out)[1];
    const ws = await (await fetch(`${url}/api/workshops/${id}`, { headers: { authorization: `Bearer ${key}` } })).json();
    assert.equal(ws.title, 'Demo: primärvårdsdialog');
    assert.equal(ws.code, code);
    assert.equal(ws.questions[0].open, true);
    assert.equal(await stop(first.proc), 0);

    const second = await serve(['--db', db, '--port', '0', '--bind', '127.0.0.1', '--demo']);
    const out2 = second.out();
    assert.equal(/\/j\/([A-Z0-9]{6})/.exec(out2)[1], code, 'same workshop on restart');
    assert.notEqual(/facilitator key: +(\S+)/.exec(out2)[1], key, 'a fresh key each start');
    assert.equal(await stop(second.proc), 0);
    assert.match(execFileSync(BIN, ['keys', 'list', '--db', db], { encoding: 'utf8' }), /make run/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TLS with --tls-cert and --tls-key', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'inspel-tls-'));
  try {
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'),
        '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    } catch {
      t.skip('openssl is not installed');
      return;
    }
    const s = await serve(['--db', join(dir, 'db'), '--port', '0', '--bind', '127.0.0.1',
      '--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')]);
    const url = /listening on (\S+)/.exec(s.out())[1];
    assert.match(url, /^https:\/\//);
    const body = execFileSync('curl', ['-sk', `${url}/api/health`], { encoding: 'utf8' });
    assert.equal(body, '{"ok":true}');
    const headers = execFileSync('curl', ['-skI', `${url}/`], { encoding: 'utf8' });
    assert.match(headers, /content-security-policy/i);
    assert.equal(await stop(s.proc), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
