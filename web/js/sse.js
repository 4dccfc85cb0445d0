// sse.js - the workshop event stream (GET /api/workshops/ID/events).
//
// Design: EventSource reconnects by itself after a dropped connection, but it
// gives up for good when a reconnect gets an HTTP error (server restarting
// behind a proxy, 503 while shutting down).  We therefore watch for the
// CLOSED state and open a fresh EventSource with capped backoff.  Every
// connection starts with a `snapshot`, so callers simply replace their state
// on it and never need to track what they missed.

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;

// handlers: {snapshot, question, counts, answer, hide, words} each called with
// the parsed event data; onState(connected: boolean) reports the link state;
// onNotFound() is called, and the stream stopped, when the workshop does not
// exist.  Returns {close()}.
export function openStream(workshopId, { answers = false, handlers = {}, onState = () => {}, onNotFound = () => {} } = {}) {
  const url = `/api/workshops/${encodeURIComponent(workshopId)}/events${answers ? '?answers=1' : ''}`;
  let source = null;
  let stopped = false;
  let retryMs = RETRY_MIN_MS;
  let timer = null;

  function connect() {
    source = new EventSource(url);
    source.addEventListener('open', () => {
      retryMs = RETRY_MIN_MS;
    });
    source.addEventListener('error', () => {
      onState(false);
      if (source.readyState === EventSource.CLOSED && !stopped) retryLater();
    });
    for (const [name, fn] of Object.entries(handlers)) {
      source.addEventListener(name, (ev) => {
        let data;
        try {
          data = JSON.parse(ev.data);
        } catch {
          return; // a malformed event is ignored; the next snapshot repairs state
        }
        if (name === 'snapshot') onState(true);
        fn(data);
      });
    }
  }

  // EventSource does not reveal the HTTP status, so ask once with fetch (and
  // drop the body) to tell a wrong link, which will never work, from a server
  // that is briefly unavailable.
  async function retryLater() {
    const probe = new AbortController();
    let status = 0;
    try {
      status = (await fetch(url, { signal: probe.signal, cache: 'no-store' })).status;
    } catch {
      // A network error: the server may come back, keep trying.
    }
    probe.abort();
    if (stopped) return;
    if (status === 404) {
      stopped = true;
      onNotFound();
      return;
    }
    timer = setTimeout(connect, retryMs);
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
  }

  connect();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      if (source) source.close();
    },
  };
}
