// outbox.js - the phone's own answers and the queue of answers not yet sent.
//
// Design: an answer is written to localStorage *before* it is POSTed, with an
// answer_id made on the phone, and the same id is re-sent until the server
// answers 200/201.  The server treats a repeated answer_id as the same answer,
// so a retry after a lost response can never double it, and a reload or a dead
// battery can never lose it.  One record per workshop holds every own answer
// with its state (pending, sent, failed), so "my answers" and "the outbox" are
// the same list and cannot disagree.  Records are merged with what is in
// storage before every write, so two tabs of the same workshop keep each
// other's answers; a state only ever moves forward (pending -> failed/sent).

import { request, isTransient, retryDelayMs } from './api.js';
import { load, save, randomHex } from './store.js';

const KEY_PREFIX = 'inspel.answers.';
const RANK = { pending: 0, failed: 1, sent: 2 };

export const ANSWER_MAX_CHARS = 1000;

function storageKey(workshopId) {
  return KEY_PREFIX + workshopId;
}

// The answer_id: 20 random hex characters, well inside [A-Za-z0-9_-]{8,64}.
// Random rather than a counter, so ids stay unique even if storage is wiped
// between two answers.
function newAnswerId() {
  return randomHex(10);
}

// Merges the stored entries with ours by answer_id, keeping the more advanced
// state; on a tie our object is kept, so references held by flush() stay live.
function merge(stored, mine) {
  const byId = new Map();
  for (const e of stored) byId.set(e.answer_id, e);
  for (const e of mine) {
    const prev = byId.get(e.answer_id);
    if (!prev || RANK[e.state] >= RANK[prev.state]) byId.set(e.answer_id, e);
  }
  return [...byId.values()].sort((x, y) => x.created - y.created);
}

export class Outbox {
  // onChange(entry|null, previousState) is called after every state change.
  constructor({ workshopId, code, clientId, onChange = () => {} }) {
    this.workshopId = workshopId;
    this.code = code;
    this.clientId = clientId;
    this.onChange = onChange;
    this.persisted = true;
    this.entries = load(storageKey(workshopId), { entries: [] }).entries || [];
    this.inflight = new Set();
    this.running = false;
    this.again = false;
    this.timer = null;
    this.stopped = false;
    this.onOnline = () => this.retryNow();
    this.onStorage = (ev) => {
      if (ev.key !== storageKey(this.workshopId)) return;
      this.entries = merge(load(storageKey(this.workshopId), { entries: [] }).entries || [], this.entries);
      this.onChange(null, null);
    };
    window.addEventListener('online', this.onOnline);
    window.addEventListener('storage', this.onStorage);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('storage', this.onStorage);
  }

  persist() {
    const stored = load(storageKey(this.workshopId), { entries: [] }).entries || [];
    this.entries = merge(stored, this.entries);
    this.persisted = save(storageKey(this.workshopId), { code: this.code, entries: this.entries });
  }

  forQuestion(questionId) {
    return this.entries.filter((e) => e.question_id === questionId);
  }

  pendingCount() {
    return this.entries.filter((e) => e.state === 'pending').length;
  }

  // Stores a new answer and starts sending it.  Returns the entry.
  add(questionId, text, group, organisation) {
    const entry = {
      answer_id: newAnswerId(),
      question_id: questionId,
      text,
      group: group || null,
      organisation: organisation || null,
      state: 'pending',
      reason: null,
      created: Date.now(),
      attempt: 0,
      next_at: 0,
    };
    this.entries.push(entry);
    this.persist();
    this.onChange(entry, null);
    this.flush();
    return entry;
  }

  // A failed answer is queued again with the same answer_id (e.g. after the
  // facilitator reopened its question).
  retry(answerId) {
    const e = this.entries.find((x) => x.answer_id === answerId);
    if (!e || e.state !== 'failed') return;
    // A failed entry may not move back to pending through merge(); rewrite it.
    const stored = load(storageKey(this.workshopId), { entries: [] }).entries || [];
    Object.assign(e, { state: 'pending', reason: null, attempt: 0, next_at: 0 });
    this.entries = merge(stored.filter((x) => x.answer_id !== answerId), this.entries);
    this.persisted = save(storageKey(this.workshopId), { code: this.code, entries: this.entries });
    this.onChange(e, 'failed');
    this.flush();
  }

  // Only a failed answer can be removed: the participant has seen why.
  discard(answerId) {
    const e = this.entries.find((x) => x.answer_id === answerId);
    if (!e || e.state !== 'failed') return;
    const stored = load(storageKey(this.workshopId), { entries: [] }).entries || [];
    this.entries = merge(stored, this.entries).filter((x) => x.answer_id !== answerId);
    this.persisted = save(storageKey(this.workshopId), { code: this.code, entries: this.entries });
    this.onChange(null, null);
  }

  // Sends everything that is due now, regardless of backoff.
  retryNow() {
    for (const e of this.entries) if (e.state === 'pending') e.next_at = 0;
    this.flush();
  }

  async flush() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    clearTimeout(this.timer);
    try {
      do {
        this.again = false;
        const now = Date.now();
        const due = this.entries.filter((e) => e.state === 'pending' && e.next_at <= now && !this.inflight.has(e.answer_id));
        for (const e of due) {
          // Stop the round on a transient failure: the rest would fail alike.
          if (!(await this.send(e))) break;
        }
      } while (this.again && !this.stopped);
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  schedule() {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const pending = this.entries.filter((e) => e.state === 'pending');
    if (pending.length === 0) return;
    const next = Math.min(...pending.map((e) => e.next_at));
    this.timer = setTimeout(() => this.flush(), Math.max(0, next - Date.now()));
  }

  // One POST.  Returns false when the failure is transient (try later).
  async send(e) {
    this.inflight.add(e.answer_id);
    const body = { code: this.code, question_id: e.question_id, answer_id: e.answer_id, text: e.text, client_id: this.clientId };
    if (e.group) body.group = e.group;
    if (e.organisation) body.organisation = e.organisation;
    let r;
    try {
      r = await request('/api/answers', { method: 'POST', body });
    } finally {
      this.inflight.delete(e.answer_id);
    }
    // Another tab may have settled this answer while the request was out.
    const current = this.entries.find((x) => x.answer_id === e.answer_id);
    if (!current || current.state !== 'pending') return true;
    e = current;
    const before = e.state;
    let transient = false;
    if (r.status === 200 || r.status === 201) {
      e.state = 'sent';
      e.server_id = r.data && r.data.id;
    } else if (isTransient(r.status)) {
      e.attempt += 1;
      e.next_at = Date.now() + retryDelayMs(r, e.attempt);
      transient = true;
    } else {
      e.state = 'failed';
      // 409 is a closed question or (its message says "limit") a workshop that holds all it may; 410 an ended workshop.
      const kind = r.status === 410 ? 'ended' : r.status === 409 ? (/limit/.test(r.error || '') ? 'full' : 'closed')
        : r.status === 422 ? 'invalid' : 'other';
      e.reason = { kind, msg: r.error || `HTTP ${r.status}` };
    }
    this.persist();
    this.onChange(e, before);
    return !transient;
  }
}

// Outboxes of workshops the participant has left, still sending, by id.
const background = new Map();

// Starts sending the pending answers of workshops other than `exceptId` (the
// participant changed workshop before they went out) and stops the
// background sender of `exceptId`, whose page outbox takes over.  Each
// background outbox stops itself once nothing is pending.
// clientIdFor(workshopId): the client_id the phone sends in that workshop.
export function resumeOtherOutboxes(clientIdFor, exceptId) {
  if (exceptId && background.has(exceptId)) {
    background.get(exceptId).stop();
    background.delete(exceptId);
  }
  let keys = [];
  try {
    keys = Object.keys(localStorage).filter((k) => k.startsWith(KEY_PREFIX));
  } catch {
    return;
  }
  for (const key of keys) {
    const workshopId = key.slice(KEY_PREFIX.length);
    if (workshopId === exceptId || background.has(workshopId)) continue;
    const rec = load(key, null);
    if (!rec || !rec.code || !(rec.entries || []).some((e) => e.state === 'pending')) continue;
    const box = new Outbox({
      workshopId,
      code: rec.code,
      clientId: clientIdFor(workshopId),
      onChange: () => {
        if (box.pendingCount() === 0) {
          box.stop();
          background.delete(workshopId);
        }
      },
    });
    background.set(workshopId, box);
    box.flush();
  }
}
