// store.js - JSON values in localStorage / sessionStorage that never throw.
//
// Design: phones in private mode or with full storage throw on setItem; the
// pages must keep working (in memory) and say so, not crash.  save() returns
// false when the value could not be persisted so callers can warn.

function area(kind) {
  try {
    return kind === 'session' ? window.sessionStorage : window.localStorage;
  } catch {
    return null;
  }
}

export function load(key, fallback, kind = 'local') {
  const s = area(kind);
  if (!s) return fallback;
  try {
    const raw = s.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

// Returns true when stored.
export function save(key, value, kind = 'local') {
  const s = area(kind);
  if (!s) return false;
  try {
    s.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export function remove(key, kind = 'local') {
  const s = area(kind);
  if (!s) return;
  try {
    s.removeItem(key);
  } catch {
    // Nothing to do: the value could not be there either.
  }
}

// Random hex string of nbytes bytes.  crypto.getRandomValues works on plain
// http (crypto.randomUUID needs a secure context, and the LAN server is http).
export function randomHex(nbytes) {
  const bytes = new Uint8Array(nbytes);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
