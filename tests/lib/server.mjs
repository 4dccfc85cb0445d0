// Starts the real inspel server on loopback for HTTP and browser tests.
//
// The binary comes from $INSPEL_BIN (tests/run.sh points it at the
// sanitizer build for HTTP tests), else build/inspel.  Each server gets a
// fresh database in a temporary directory and a facilitator key made with
// `inspel keys add`, then `inspel serve --port 0`; the port is read from the
// "listening on http://ADDR:PORT" line serve prints once it accepts
// connections (https:// with --tls-cert).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(process.env.INSPEL_BIN || 'build/inspel');

export function makeKey(db) {
  const out = execFileSync(BIN, ['keys', 'add', '--db', db], { encoding: 'utf8' });
  const key = out.trim().split('\n').pop().trim();
  if (!/^\S{20,}$/.test(key)) throw new Error(`unexpected output of keys add: ${out}`);
  return key;
}

// Start a server.  opts.dir reuses a directory (for restart tests),
// opts.key skips making a new key, opts.args adds serve arguments,
// opts.prefix runs it under a wrapper command (e.g. prlimit).
export async function startServer(opts = {}) {
  const dir = opts.dir || mkdtempSync(join(tmpdir(), 'inspel-test-'));
  const db = join(dir, 'inspel.db');
  const key = opts.key || makeKey(db);
  const args = ['serve', '--db', db, '--port', '0', '--bind', '127.0.0.1', ...(opts.args || [])];
  const [cmd, ...pre] = [...(opts.prefix || []), BIN];
  const proc = spawn(cmd, [...pre, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(opts.env || {}) } });
  let stdout = '';
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stdout}\n${stderr}`)), 15000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (https?:\/\/[^\s]+)/.exec(stdout);
      if (m) { clearTimeout(timer); resolveUrl(m[1].replace(/\/$/, '')); }
    });
    proc.on('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`server exited (${code ?? sig}):\n${stdout}\n${stderr}`)); });
  });
  const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  return {
    url, key, db, dir, proc,
    output: () => ({ stdout, stderr }),
    // Graceful stop; resolves with the exit status (non-zero under ASan means a leak or error).
    async stop() { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM'); return exited; },
    async kill9() { proc.kill('SIGKILL'); return exited; },
    cleanup() { rmSync(dir, { recursive: true, force: true }); },
  };
}

// fetch with JSON body and the facilitator key when given.
export async function api(server, method, path, { body, key, headers = {}, raw } = {}) {
  const h = { ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
  const res = await fetch(server.url + path, { method, headers: h, body: payload });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}

// The presenter link of workshop `id` on this server's own address (the
// link the console shows may name a LAN address): /present/ID#s=SECRET.
export async function presenterUrl(server, id, key = server.key) {
  const res = await api(server, 'GET', `/api/workshops/${id}`, { key });
  if (res.status !== 200) throw new Error(`workshop ${id}: ${res.status} ${res.text}`);
  return `${server.url}/present/${id}${new URL(res.json.presenter_url).hash}`;
}

// Stop each of `servers` (SIGTERM; null entries skipped), remove their
// directories, then require that every one exited 0 on its own: a crash, a
// sanitizer report or a failed shutdown fails the suite (for after() hooks).
export async function stopServers(...servers) {
  const exits = [];
  for (const s of servers.filter(Boolean)) {
    const { code, signal } = await s.stop();
    s.cleanup();
    exits.push({ code, signal, stderr: s.output().stderr });
  }
  for (const { code, signal, stderr } of exits) assert.equal(code, 0, `server exit ${code ?? signal}:\n${stderr}`);
}
