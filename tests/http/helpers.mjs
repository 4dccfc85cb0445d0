// Shared helpers for the HTTP tests: workshops, answers, raw requests and
// a small Server-Sent Events reader.
import net from 'node:net';
import { api } from '../lib/server.mjs';

export async function createWorkshop(server, body = { title: 'Primärvårdsdialog Test', template: 'primarvard' }) {
  const res = await api(server, 'POST', '/api/workshops', { key: server.key, body });
  if (res.status !== 201) throw new Error(`create workshop: ${res.status} ${res.text}`);
  return res.json;
}

export async function setOpen(server, questionId, open) {
  const res = await api(server, 'PATCH', `/api/questions/${questionId}`, { key: server.key, body: { open } });
  if (res.status !== 200) throw new Error(`open question: ${res.status} ${res.text}`);
  return res.json;
}

let seq = 0;
export function newAnswerId() {
  seq += 1;
  return `t${process.pid}-${Date.now().toString(36)}-${seq}`;
}

export function answer(server, ws, fields = {}) {
  const body = {
    code: ws.code,
    question_id: ws.questions[0].id,
    answer_id: newAnswerId(),
    text: 'Kontinuitet.',
    client_id: `phone${seq}xyz`,
    ...fields,
  };
  return api(server, 'POST', '/api/answers', { body });
}

// A participant token of the workshop with join code `code`, as a phone gets it
// when it joins (GET /api/join/CODE); undefined when the code joins nothing.
export async function joinToken(server, code) {
  const res = await api(server, 'GET', `/api/join/${encodeURIComponent(code)}`);
  return res.status === 200 ? res.json.token : undefined;
}

// A ballot body with the token of its phone: one token per (server, code, client_id), as a phone keeps
// its own.  A body that names a token keeps it.
const tokens = new Map();
export async function withToken(server, body) {
  if ('token' in body || typeof body.code !== 'string') return body;
  const k = `${server.url} ${body.code.toUpperCase()} ${body.client_id}`;
  if (!tokens.has(k)) tokens.set(k, await joinToken(server, body.code));
  return { ...body, token: tokens.get(k) };
}

// Send raw bytes and return {status, head, body} (for paths fetch would normalise).
export function rawRequest(server, text) {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname, () => sock.end(text));
    let data = '';
    sock.on('data', (d) => { data += d; });
    sock.on('error', reject);
    sock.on('close', () => {
      const m = /^HTTP\/1\.[01] (\d+)/.exec(data);
      const i = data.indexOf('\r\n\r\n');
      resolve({ status: m ? Number(m[1]) : 0, head: data.slice(0, i), body: data.slice(i + 4) });
    });
  });
}

// Open an event stream; events are collected in `events` as {event, data}.
// opts.key sends a facilitator key, opts.presenter a presenter link's secret
// (the presenter's stream, ?answers=1, needs one of them).
export async function openEvents(server, path, { key, presenter } = {}) {
  const ctrl = new AbortController();
  const headers = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (presenter) headers.authorization = `Presenter ${presenter}`;
  const res = await fetch(server.url + path, { signal: ctrl.signal, headers });
  const events = [];
  const waiters = [];
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          let event = 'message';
          let data = '';
          let comment = false;
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) comment = true;
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (comment && !data) continue;
          events.push({ event, data: JSON.parse(data), at: Date.now() });
          for (const w of waiters.splice(0)) w();
        }
      }
    } catch { /* aborted */ }
    for (const w of waiters.splice(0)) w();
  })();
  return {
    res,
    events,
    // Wait until an event matching `pred` arrives (searching from index `from`).
    async next(pred, timeoutMs = 3000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.slice(from).find(pred);
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise((r) => { const t = setTimeout(r, left); waiters.push(() => { clearTimeout(t); r(); }); });
      }
    },
    ended: pump, // resolves when the stream ends (closed here or by the server)
    async close() { ctrl.abort(); await pump; },
  };
}

// The secret of a workshop's presenter link (from the facilitator's workshop object).
export async function presenterSecret(server, wsId, key = server.key) {
  const res = await api(server, 'GET', `/api/workshops/${wsId}`, { key });
  if (res.status !== 200) throw new Error(`workshop: ${res.status} ${res.text}`);
  return new URL(res.json.presenter_url).hash.replace(/^#s=/, '');
}

// A GET that never waits for a stream to end: {status, text}, the body
// unless it is an event stream (which is closed at once).
export async function getOnce(server, path, { key, headers = {} } = {}) {
  const ctrl = new AbortController();
  const h = { ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  const res = await fetch(server.url + path, { headers: h, signal: ctrl.signal });
  const stream = /^text\/event-stream/.test(res.headers.get('content-type') || '');
  const text = stream ? '' : await res.text();
  ctrl.abort();
  return { status: res.status, text };
}
