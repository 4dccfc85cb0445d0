// What an attacker on the conference wifi meets, and what a room of 300
// phones behind one NAT address must still get through: the per-address
// connection cap, the global connection limit below the descriptor limit,
// the idle timeout (which spares event streams that are being written to,
// and drops those whose reader stopped), the join-lookup budget, TLS 1.2 and
// up with HSTS, framing refused, Host required, and a private database file.
//
// Loopback is 127.0.0.0/8 on Linux, so a test can be several "addresses":
// each test below connects from its own (localAddress) and never meets the
// budget of another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import https from 'node:https';
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, BIN } from '../lib/server.mjs';
import { createWorkshop, setOpen, newAnswerId, rawRequest } from './helpers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function portOf(server) {
  return Number(new URL(server.url).port);
}

// Open `n` TCP connections from `from` and send nothing.  Resolves once
// every one is connected; each entry's `closed` turns true when the server
// closes it.
async function openIdle(server, from, n) {
  const socks = [];
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
    const entry = { closed: false };
    const sock = net.connect({ host: '127.0.0.1', port: portOf(server), localAddress: from }, () => resolve());
    entry.sock = sock;
    sock.on('error', () => { entry.closed = true; resolve(); });
    sock.on('close', () => { entry.closed = true; });
    sock.resume();
    socks.push(entry);
  })));
  return socks;
}

function closeAll(socks) {
  for (const s of socks) s.sock.destroy();
}

// One GET from `from` on a connection of its own: {status, headers, text}.
function get(server, path, { from = '127.0.0.1', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: portOf(server), path, localAddress: from, agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
  });
}

// POST a JSON body on a connection of its own (no keep-alive: a client that
// reuses a connection the server has just closed as idle fails the request).
function post(server, path, body) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port: portOf(server), path, method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// An event stream on a raw socket from `from`: resolves with the socket once
// the snapshot event has arrived; `received` counts the bytes read.
function openStream(server, path, { from = '127.0.0.1', key } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port: portOf(server), localAddress: from }, () => {
      sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${key ? `Authorization: Bearer ${key}\r\n` : ''}\r\n`);
    });
    const stream = { sock, received: 0, text: '', ended: false };
    sock.on('data', (d) => {
      stream.received += d.length;
      if (stream.text.length < 65536) stream.text += d.toString('latin1');
      if (/event: snapshot/.test(stream.text)) resolve(stream);
    });
    sock.on('error', () => { stream.ended = true; });
    sock.on('close', () => { stream.ended = true; reject(new Error(`stream closed before its snapshot: ${stream.text.slice(0, 200)}`)); });
  });
}

// A random, well-formed join code (the alphabet of server/base/rnd.h).
function randomCode() {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 6 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
}

test('one address cannot hold every connection: --max-conn-per-ip, default 1200', async () => {
  const server = await startServer({ args: ['--max-conn-per-ip', '20'] });
  let idle = [];
  try {
    idle = await openIdle(server, '127.0.0.2', 30);
    await sleep(500);
    assert.equal(idle.filter((s) => s.closed).length, 10, 'the connections over the cap are closed at once');
    // Other addresses are served as usual, at once.
    const t0 = Date.now();
    const health = await get(server, '/api/health', { from: '127.0.0.1' });
    assert.equal(health.status, 200);
    assert.ok(Date.now() - t0 < 1000);
    // The address's own requests wait for one of its connections to go.
    closeAll(idle.slice(0, 5));
    await sleep(200);
    assert.equal((await get(server, '/api/health', { from: '127.0.0.2' })).status, 200);
  } finally {
    closeAll(idle);
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0);
  }

  // The default: 300 phones behind one NAT address, two connections each, and room to spare.
  const dflt = await startServer();
  try {
    idle = await openIdle(dflt, '127.0.0.3', 1250);
    await sleep(1000);
    assert.equal(idle.filter((s) => s.closed).length, 50);
  } finally {
    closeAll(idle);
    const { code } = await dflt.stop();
    dflt.cleanup();
    assert.equal(code, 0);
  }
});

test('the connection limit leaves descriptors for the server itself', async () => {
  // A descriptor limit of 400 leaves 272 connections (128 descriptors stay
  // for the database, pages read from disk and the daemon): with 450 more
  // connections waiting, a page is still read from disk.
  const server = await startServer({ args: ['--web', 'web'], prefix: ['prlimit', '--nofile=400:400'] });
  let idle = [];
  try {
    assert.match(server.output().stderr, /at most 272 connections, 272 from one address/);
    const keep = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const page = () => Promise.race([
      new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: portOf(server), path: '/css/app.css', agent: keep }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        }).on('error', reject);
      }),
      sleep(5000).then(() => 'no reply in 5 s'),
    ]);
    assert.equal(await page(), 200);
    for (let i = 0; i < 9; i++) idle.push(...await openIdle(server, `127.0.1.${i + 1}`, 50));
    await sleep(1000);
    // The kept-alive connection was there first, so it is still served.
    assert.equal(await page(), 200);
    assert.equal((await page()), 200);
    keep.destroy();
  } finally {
    closeAll(idle);
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0);
  }
});

test('300 phones behind one NAT address: a stream, a join, a reload and some typos each', async () => {
  const server = await startServer();
  const streams = [];
  // What went wrong, with the server's log (libmicrohttpd says why it dropped a connection).
  const explain = (what) => (e) => { throw new Error(`${what}: ${e.message}\n${server.output().stderr.slice(-2000)}`); };
  try {
    const ws = await createWorkshop(server);
    const from = '127.0.0.4';
    // The room scans the QR code within a minute: here 100 phones at a time.
    const joins = async () => {
      let ok = 0;
      for (let i = 0; i < 300; i += 100) {
        const got = await Promise.all(Array.from({ length: 100 }, () => get(server, `/api/join/${ws.code}`, { from })))
          .catch(explain(`join ${i}`));
        ok += got.filter((r) => r.status === 200).length;
      }
      return ok;
    };
    assert.equal(await joins(), 300);
    for (let i = 0; i < 300; i += 50)
      streams.push(...await Promise.all(Array.from({ length: 50 }, () => openStream(server, `/api/workshops/${ws.id}/events`, { from })))
        .catch(explain(`stream ${i}`)));
    assert.equal(streams.length, 300);
    const typos = await Promise.all(Array.from({ length: 30 }, () => get(server, `/api/join/${randomCode()}`, { from })))
      .catch(explain('typos'));
    assert.deepEqual([...new Set(typos.map((r) => r.status))], [404]);
    assert.equal(await joins(), 300, 'every phone reloads once');
    // Everyone still gets the room's events.
    await setOpen(server, ws.questions[0].id, true);
    for (let i = 0; i < 50 && streams.some((s) => !/event: question/.test(s.text)); i++) await sleep(100);
    assert.equal(streams.filter((s) => /event: question/.test(s.text)).length, 300);
  } finally {
    for (const s of streams) s.sock.destroy();
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0);
  }
});

test('guessing join codes meets 429 with Retry-After within about 100 guesses', async () => {
  const server = await startServer({ args: ['--join-burst', '1000', '--join-per-min', '300'] });
  try {
    const ws = await createWorkshop(server);
    const from = '127.0.0.5';
    let misses = 0;
    let refused = null;
    while (misses < 400 && !refused) {
      const r = await get(server, misses % 2 ? `/api/join/${randomCode()}` : `/api/join/${randomCode()}/qr.svg`, { from });
      if (r.status === 429) refused = r;
      else { assert.equal(r.status, 404); misses++; }
    }
    assert.ok(refused, 'no 429 after 400 wrong codes');
    assert.ok(misses >= 95 && misses <= 120, `${misses} wrong codes before 429`);
    assert.match(refused.headers['retry-after'], /^[1-9]\d*$/);
    assert.ok(Number(refused.headers['retry-after']) <= 3, `Retry-After ${refused.headers['retry-after']}`);
    assert.match(JSON.parse(refused.text).error, /too many/);
    // Another network is not affected.
    assert.equal((await get(server, `/api/join/${ws.code}`, { from: '127.0.0.6' })).status, 200);
    // The budget comes back: a right code goes through once Retry-After has passed.
    await sleep(Number(refused.headers['retry-after']) * 1000 + 100);
    assert.equal((await get(server, `/api/join/${ws.code}`, { from })).status, 200);
  } finally {
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0);
  }

  // --join-burst 0 turns the budget off.
  const off = await startServer({ args: ['--join-burst', '0'] });
  try {
    for (let i = 0; i < 150; i++)
      assert.equal((await get(off, `/api/join/${randomCode()}`, { from: '127.0.0.7' })).status, 404);
  } finally {
    await off.stop();
    off.cleanup();
  }
});

test('idle connections close after --idle-timeout; event streams stay while they are written to', async () => {
  const server = await startServer({ args: ['--idle-timeout', '2', '--rate-burst', '0'] });
  let stalled = null;
  let live = null;
  try {
    const ws = await createWorkshop(server);
    const q = ws.questions[0];
    await setOpen(server, q.id, true);

    // An ordinary keep-alive connection, idle after its reply.
    const idle = net.connect({ host: '127.0.0.1', port: portOf(server) });
    let closedAt = 0;
    const t0 = Date.now();
    idle.on('close', () => { closedAt = Date.now(); });
    idle.on('error', () => {});
    idle.resume();
    idle.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');

    // A stream with nothing to say for longer than the timeout.
    live = await openStream(server, `/api/workshops/${ws.id}/events`);
    await sleep(4500);
    assert.ok(closedAt > 0, 'the idle connection is still open');
    assert.ok(closedAt - t0 >= 1500 && closedAt - t0 <= 4500, `closed after ${closedAt - t0} ms`);
    assert.equal(live.ended, false, 'a quiet event stream timed out');
    await setOpen(server, q.id, false);
    await sleep(500);
    assert.match(live.text, /event: question/);

    // A presenter's stream whose reader stops: fill the socket, then wait.
    await setOpen(server, q.id, true);
    stalled = await openStream(server, `/api/workshops/${ws.id}/events?answers=1`, { key: server.key });
    stalled.sock.pause();
    // 4 bytes a character: 4 KB an event; 6 MB is more than loopback's socket buffers take.
    const text = '\u{1F4AC}'.repeat(1000);
    let sent = 0;
    let next = 0;
    const phone = async () => {
      while (sent < 6 * 1024 * 1024) {
        const status = await post(server, '/api/answers',
          { code: ws.code, question_id: q.id, answer_id: newAnswerId(), text, client_id: `stall${next++}phone` });
        assert.equal(status, 201);
        sent += 4100;
      }
    };
    await Promise.all(Array.from({ length: 8 }, phone));
    await sleep(3500);
    // The server dropped it: once read, the socket ends (not just the response).
    let ended = false;
    stalled.sock.on('end', () => { ended = true; });
    stalled.sock.on('close', () => { ended = true; });
    stalled.sock.resume();
    for (let i = 0; i < 100 && !ended; i++) await sleep(100);
    assert.ok(ended, `the stalled stream is still open after ${stalled.received} bytes`);
    assert.ok(stalled.received < sent, 'the stalled stream did not get everything');
    // The server is fine and other streams carry on.
    assert.equal((await api(server, 'GET', '/api/health')).status, 200);
    assert.equal(live.ended, false);
  } finally {
    stalled?.sock.destroy();
    live?.sock.destroy();
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0);
  }
});

test('framing refused, Host required on HTTP/1.1', async () => {
  const server = await startServer();
  try {
    for (const path of ['/', '/console', '/api/health', '/api/join/AAAAAA']) {
      const r = await api(server, 'GET', path);
      assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
      assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/, path);
      assert.equal(r.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
    }
    const noHost = await rawRequest(server, 'GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n');
    assert.equal(noHost.status, 400);
    assert.match(noHost.body, /Host/);
    const twoHosts = await rawRequest(server, 'GET /api/health HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n');
    assert.equal(twoHosts.status, 400);
    const bodyNoHost = await rawRequest(server, 'POST /api/answers HTTP/1.1\r\nContent-Type: application/json\r\n'
      + 'Content-Length: 2\r\nConnection: close\r\n\r\n{}');
    assert.equal(bodyNoHost.status, 400);
    // HTTP/1.0 has no Host requirement.
    const old = await rawRequest(server, 'GET /api/health HTTP/1.0\r\n\r\n');
    assert.equal(old.status, 200);
  } finally {
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0);
  }
});

// openssl s_client's exit status and what it printed; `-cipher` at level 0 so
// the client itself is willing to speak TLS 1.0/1.1.
function sClient(port, version) {
  const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, version, '-cipher', 'DEFAULT@SECLEVEL=0'],
    { input: '', encoding: 'utf8', timeout: 10000 });
  return { ok: r.status === 0 && /Cipher is (?!\(NONE\))/.test(r.stdout), out: r.stdout + r.stderr };
}

test('TLS: 1.2 and 1.3 only, with HSTS', async () => {
  const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const server = await startServer({ args: ['--tls-cert', cert, '--tls-key', key] });
  try {
    assert.match(server.url, /^https:/);
    const port = portOf(server);
    for (const v of ['-tls1', '-tls1_1']) {
      const r = sClient(port, v);
      assert.equal(r.ok, false, `${v} accepted:\n${r.out}`);
    }
    for (const v of ['-tls1_2', '-tls1_3']) {
      const r = sClient(port, v);
      assert.equal(r.ok, true, `${v} refused:\n${r.out}`);
    }
    const res = await new Promise((resolve, reject) => {
      https.get({ host: '127.0.0.1', port, path: '/api/health', rejectUnauthorized: false }, (r) => {
        r.resume();
        r.on('end', () => resolve(r));
      }).on('error', reject);
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['strict-transport-security'], /^max-age=\d{7,}$/);
  } finally {
    const { code } = await server.stop();
    server.cleanup();
    execFileSync('rm', ['-rf', dir]);
    assert.equal(code, 0);
  }
});

test('a database made by `inspel keys add` is the owner\'s alone too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inspel-mode-'));
  try {
    const db = join(dir, 'keys.db');
    execFileSync(BIN, ['keys', 'add', '--db', db], { encoding: 'utf8' });
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(db + suffix)) assert.equal((statSync(db + suffix).mode & 0o777).toString(8), '600', `mode of ${db}${suffix}`);
    }
    assert.ok(existsSync(db));
  } finally {
    execFileSync('rm', ['-rf', dir]);
  }
});

test('the database and its -wal and -shm are readable by the owner only', async () => {
  // A key given here keeps `keys add` from making the file: serve creates it.
  const server = await startServer({ key: 'made-by-serve-not-keys-add' });
  try {
    assert.equal((await createWorkshop({ ...server, key: /facilitator key: (\S+)/.exec(server.output().stdout)[1] })).title,
      'Primärvårdsdialog Test');
    for (const suffix of ['', '-wal', '-shm']) {
      const file = server.db + suffix;
      assert.ok(existsSync(file), `${file} exists`);
      assert.equal((statSync(file).mode & 0o777).toString(8), '600', `mode of ${file}`);
    }
  } finally {
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0);
  }
});
