// sse.js - the workshop event stream (GET /api/workshops/ID/events).
//
// Design: the stream is read with fetch() rather than EventSource, because
// EventSource cannot send headers, and the presenter's stream (?answers=1)
// needs a credential: the facilitator key or the workshop's presenter
// secret, sent in the Authorization header so it never appears in a URL
// (nor, so, in any server's or proxy's log).  Reading the response
// ourselves also gives us its status: 404 (no such workshop) and 401 (the
// credential does not work, e.g. the presenter link was renewed) stop the
// stream for good; anything else (no network, 503 while the server
// restarts, the server ending the stream) reconnects with capped backoff.
// Every connection starts with a `snapshot`, so callers simply replace
// their state on it and never need to track what they missed.

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;

// One SSE frame ("event: NAME\ndata: JSON" lines) as {name, data}, or null
// for a comment (": ping") or a frame without data.
function parseFrame(frame) {
  let name = 'message';
  const data = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { name, data: data.join('\n') } : null;
}

// handlers: {snapshot, question, counts, answer, hide, words, themes, vote}
// each called with the parsed event data; onState(connected: boolean)
// reports the link state; onNotFound() is called, and the stream stopped,
// when the workshop does not exist; onDenied() likewise when the credential
// is refused.  auth: the Authorization header's value ("Bearer KEY",
// "Presenter SECRET"), or null.  Returns {close()}.
export function openStream(workshopId, {
  answers = false, auth = null, handlers = {}, onState = () => {}, onNotFound = () => {}, onDenied = () => {},
} = {}) {
  const url = `/api/workshops/${encodeURIComponent(workshopId)}/events${answers ? '?answers=1' : ''}`;
  const headers = { Accept: 'text/event-stream' };
  if (auth) headers.Authorization = auth;
  let stopped = false;
  let retryMs = RETRY_MIN_MS;
  let timer = null;
  let ctrl = null;

  function deliver(frame) {
    const ev = parseFrame(frame);
    const fn = ev && handlers[ev.name];
    if (!fn) return;
    let data;
    try {
      data = JSON.parse(ev.data);
    } catch {
      return; // a malformed event is ignored; the next snapshot repairs state
    }
    if (ev.name === 'snapshot') {
      retryMs = RETRY_MIN_MS;
      onState(true);
    }
    fn(data);
  }

  function retryLater() {
    if (stopped) return;
    onState(false);
    timer = setTimeout(connect, retryMs);
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
  }

  async function connect() {
    ctrl = new AbortController();
    let res;
    try {
      res = await fetch(url, { headers, signal: ctrl.signal, cache: 'no-store' });
    } catch {
      retryLater(); // a network error: the server may come back, keep trying
      return;
    }
    if (stopped) return;
    if (res.status === 404 || res.status === 401) {
      stopped = true;
      onState(false);
      if (res.status === 404) onNotFound();
      else onDenied();
      return;
    }
    if (!res.ok || !res.body) {
      retryLater();
      return;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          deliver(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // Aborted by close(), or the connection broke: retried below unless stopped.
    }
    retryLater();
  }

  connect();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      if (ctrl) ctrl.abort();
    },
  };
}
