// api.js - fetch wrapper for the JSON API in docs/API.md.
//
// Design: request() never throws for HTTP or network failures; it returns
// {status, data, error, retryAfter} with status 0 for a network error, so the
// outbox can decide between "retry later" and "failed" from one value.
// apiJSON() is the throwing variant for pages that just want the body.

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

// opts: {method, body (object, sent as JSON), key (facilitator key)}.
export async function request(path, opts = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  let res;
  try {
    res = await fetch(path, { method: opts.method || 'GET', headers, body, cache: 'no-store' });
  } catch (e) {
    return { status: 0, data: null, error: String(e && e.message ? e.message : e), retryAfter: null };
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    // A body that is not JSON (a proxy's error page) leaves data null.
  }
  const error = res.ok ? null : (data && typeof data.error === 'string' ? data.error : `HTTP ${res.status}`);
  return { status: res.status, data, error, retryAfter: parseRetryAfter(res.headers.get('Retry-After')) };
}

// Returns the parsed body of a 2xx response; throws ApiError otherwise
// (status 0 for a network error).
export async function apiJSON(path, opts) {
  const r = await request(path, opts);
  if (r.status < 200 || r.status > 299) throw new ApiError(r.status, r.error);
  return r.data;
}
