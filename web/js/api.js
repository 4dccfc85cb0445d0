// api.js - fetch wrapper for the JSON API in docs/API.md.
//
// Design: request() never throws for HTTP or network failures; it returns
// {status, data, error, retryAfter} with status 0 for a network error, so the
// outbox and the ballot can decide between "retry later" and "failed" from
// one value (isTransient, retryDelayMs).  apiJSON() is the throwing variant
// for pages that just want the body.

const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30000;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// Seconds from a Retry-After header (delta-seconds or an HTTP date), or null.
function parseRetryAfter(value) {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10);
  const when = Date.parse(value);
  if (Number.isNaN(when)) return null;
  return Math.max(0, Math.round((when - Date.now()) / 1000));
}

// opts: {method, body (object, sent as JSON), key (facilitator key), headers (more request headers), file
// (a 2xx body is a download: data is {blob, disposition} instead of JSON)}.
export async function request(path, opts = {}) {
  const headers = opts.file ? {} : { Accept: 'application/json' };
  let body;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  Object.assign(headers, opts.headers || {});
  let res;
  let data = null;
  try {
    res = await fetch(path, { method: opts.method || 'GET', headers, body, cache: 'no-store' });
    // Read here, so a download cut off halfway is a network error too.
    if (res.ok && opts.file) data = { blob: await res.blob(), disposition: res.headers.get('Content-Disposition') };
  } catch (e) {
    return { status: 0, data: null, error: String(e && e.message ? e.message : e), retryAfter: null };
  }
  if (!data) {
    try {
      data = await res.json();
    } catch {
      // A body that is not JSON (a proxy's error page) leaves data null.
    }
  }
  const error = res.ok ? null : (data && typeof data.error === 'string' ? data.error : `HTTP ${res.status}`);
  return { status: res.status, data, error, retryAfter: parseRetryAfter(res.headers.get('Retry-After')) };
}

// Returns the body (see request's opts.file) of a 2xx response; throws
// ApiError otherwise (status 0 for a network error).
export async function apiJSON(path, opts) {
  const r = await request(path, opts);
  if (r.status < 200 || r.status > 299) throw new ApiError(r.status, r.error);
  return r.data;
}

// A failure worth repeating later: no connection, a timeout, the rate limit
// or a server error.  Any other refusal will not change by waiting.
export function isTransient(status) {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

// How long to wait before repeating request result `r` for the attempt-th
// time: the server's Retry-After, or capped exponential backoff with jitter,
// which spreads a room's retries.
export function retryDelayMs(r, attempt) {
  if (r.retryAfter !== null) return r.retryAfter * 1000;
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, attempt - 1));
  return base / 2 + Math.random() * (base / 2);
}
