// participant.js - the phone page: join by code, answer the open questions,
// vote on themes with dots (ballot.js) while the facilitator has a vote open.
//
// Design: everything the participant has done lives in localStorage (joined
// workshop, last-known questions, table/organisation, half-typed drafts, own
// answers and the outbox in outbox.js), so a reload, a lost connection or a
// locked phone loses nothing.  The server pushes question changes over SSE;
// question cards are keyed by id and updated in place so a half-typed answer
// and the focus survive every update.  A draft is kept until the server has
// acknowledged the answer it became; until then the outbox holds the text.
// Text over the limit is never cut: the card counts it and refuses to send.
// Closed questions collapse to their heading and the own answers that are
// settled, so the open question stays near the top of a small phone.

import { request } from './api.js';
import { el, $, announce } from './dom.js';
import { t, mountLangSwitch, onLangChange, currentLang } from './i18n.js';
import { Outbox, ANSWER_MAX_CHARS, resumeOtherOutboxes } from './outbox.js';
import { openStream } from './sse.js';
import { createVoteCard } from './ballot.js';
import { load, save, remove, randomHex } from './store.js';
import { workshopClientId, participantCode } from './phoneid.js';

const CODE_RE = /^[A-Z0-9]{6}$/;
const GROUP_SUGGESTIONS = 12;
// The character counter shows from this share of the limit on.
const COUNT_FROM = 0.8;

const ui = {
  joinView: $('#join-view'),
  joinForm: $('#join-form'),
  joinCode: $('#join-code'),
  joinError: $('#join-error'),
  wsView: $('#ws-view'),
  wsTitle: $('#ws-title'),
  wsOffline: $('#ws-offline'),
  outboxSummary: $('#outbox-summary'),
  about: $('#about'),
  group: $('#group'),
  groupList: $('#group-list'),
  orgField: $('#org-field'),
  org: $('#org'),
  noQuestion: $('#no-question'),
  questions: $('#questions'),
  leave: $('#leave'),
  status: $('#status'),
  linkState: $('#link-state'),
  storageWarning: $('#storage-warning'),
  pcode: $('#pcode'),
};

const state = {
  workshop: null, // the GET /api/join/CODE object
  profile: { group: '', organisation: '' },
  seenOpen: new Set(), // question ids seen open, shown as closed afterwards
  outbox: null,
  stream: null,
  cards: new Map(), // question id -> card parts
  connected: false, // event stream state
};

// The phone's secret: never sent, only the per-workshop ids made from it (phoneid.js).
function phoneSecret() {
  let id = load('inspel.client', null);
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/.test(id)) {
    id = randomHex(12);
    if (!save('inspel.client', id)) ui.storageWarning.hidden = false;
  }
  return id;
}

const PHONE_SECRET = phoneSecret();

// The client_id this phone sends in workshop `workshopId`.
function clientIdFor(workshopId) {
  return workshopClientId(PHONE_SECRET, workshopId);
}

const tokenKey = (workshopId) => `inspel.token.${workshopId}`;

// GET /api/join/CODE, showing the server the participant token the phone holds (kept, not re-issued).
function fetchJoin(code, workshopId) {
  const token = workshopId ? load(tokenKey(workshopId), null) : null;
  return request(`/api/join/${encodeURIComponent(code)}`, { headers: token ? { 'x-participant-token': token } : {} });
}

function keepToken(ws) {
  if (typeof ws.token === 'string') save(tokenKey(ws.id), ws.token);
}

// The phone's participant token for workshop `ws` (ballots need one), asking the server when it has
// none or `fresh` (the server refused the one it had).  null while the server has none to give.
async function participantToken(ws, { fresh = false } = {}) {
  if (fresh) remove(tokenKey(ws.id));
  const held = load(tokenKey(ws.id), null);
  if (typeof held === 'string') return held;
  const r = await fetchJoin(ws.code, ws.id);
  if (r.status === 200 && r.data) keepToken(r.data);
  return load(tokenKey(ws.id), null);
}

const voteCard = createVoteCard({
  clientIdFor,
  tokenFor: participantToken,
  status: ui.status,
  onUnsaved: () => {
    ui.storageWarning.hidden = false;
  },
});

function normaliseCode(raw) {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

function codeFromPath() {
  const m = /^\/j\/([A-Za-z0-9-]+)\/?$/.exec(location.pathname);
  return m ? normaliseCode(m[1]) : null;
}

// ---- join ---------------------------------------------------------------

function showJoin(message) {
  closeWorkshop();
  ui.wsView.hidden = true;
  ui.joinView.hidden = false;
  ui.joinError.textContent = message || '';
  if (location.pathname !== '/') history.replaceState(null, '', '/');
}

async function join(code, { fromUser }) {
  if (!CODE_RE.test(code)) {
    showJoin(t('join.invalid'));
    ui.joinCode.value = code;
    ui.joinCode.focus();
    return;
  }
  ui.joinError.textContent = fromUser ? t('join.joining') : '';
  const known = cachedWorkshop(code);
  const r = await fetchJoin(code, known ? known.id : null);
  if (r.status === 200 && r.data && r.data.id) {
    keepToken(r.data);
    delete r.data.token;
    save('inspel.joined', { code: r.data.code, id: r.data.id });
    save(`inspel.ws.${r.data.id}`, r.data);
    openWorkshop(r.data, { offline: false, focus: fromUser });
    return;
  }
  // Bad conference wifi or a restarting server: carry on with what we had.
  const cached = cachedWorkshop(code);
  if ((r.status === 0 || r.status >= 500) && cached) {
    openWorkshop(cached, { offline: true, focus: fromUser });
    return;
  }
  showJoin(r.status === 404 ? t('join.notFound', { code }) : r.status === 410 ? t('join.closed', { code }) : r.status === 0 ? t('common.networkError') : t('common.error', { msg: r.error }));
  ui.joinCode.value = code;
  ui.joinCode.focus();
}

function cachedWorkshop(code) {
  const joined = load('inspel.joined', null);
  if (!joined || joined.code !== code) return null;
  return load(`inspel.ws.${joined.id}`, null);
}

ui.joinForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  join(normaliseCode(ui.joinCode.value), { fromUser: true });
});

ui.leave.addEventListener('click', () => {
  remove('inspel.joined');
  ui.joinCode.value = '';
  showJoin('');
  ui.joinCode.focus();
});

// ---- workshop -----------------------------------------------------------

function closeWorkshop() {
  if (state.stream) state.stream.close();
  if (state.outbox) state.outbox.stop();
  state.stream = null;
  state.outbox = null;
  state.workshop = null;
  state.connected = false;
  state.cards.clear();
  ui.questions.replaceChildren();
  ui.linkState.hidden = true;
  voteCard.setWorkshop(null);
}

function openWorkshop(ws, { offline, focus }) {
  closeWorkshop();
  state.workshop = ws;
  state.seenOpen = new Set(load(`inspel.seen.${ws.id}`, []));
  state.profile = { group: '', organisation: '', ...load(`inspel.profile.${ws.id}`, {}) };
  const path = `/j/${ws.code}`;
  if (location.pathname !== path) history.replaceState(null, '', path);

  ui.joinView.hidden = true;
  ui.wsView.hidden = false;
  ui.wsOffline.hidden = !offline;
  ui.wsTitle.textContent = ws.title;
  document.title = `${ws.title} – Inspel`;
  renderProfile();
  // The join button just vanished; put the focus where the content starts.
  if (focus) ui.wsTitle.focus();

  ui.pcode.textContent = participantCode(clientIdFor(ws.id));
  resumeOtherOutboxes(clientIdFor, ws.id);
  state.outbox = new Outbox({ workshopId: ws.id, code: ws.code, clientId: clientIdFor(ws.id), onChange: onOutboxChange });
  if (!state.outbox.persisted) ui.storageWarning.hidden = false;
  renderQuestions();
  state.outbox.flush();
  voteCard.setWorkshop(ws);
  voteCard.setVote(offline ? null : ws.vote || null);

  state.stream = openStream(ws.id, {
    handlers: {
      snapshot: (snap) => {
        state.workshop = { ...state.workshop, title: snap.title, organisations: snap.organisations, questions: snap.questions };
        save(`inspel.ws.${ws.id}`, state.workshop);
        ui.wsOffline.hidden = true;
        ui.wsTitle.textContent = snap.title;
        renderProfile();
        renderQuestions();
        state.outbox.retryNow();
        voteCard.setVote(snap.vote || null);
      },
      question: (q) => {
        const qs = state.workshop.questions;
        const i = qs.findIndex((x) => x.id === q.id);
        if (i >= 0) qs[i] = q;
        else qs.push(q);
        save(`inspel.ws.${ws.id}`, state.workshop);
        renderQuestions();
        if (q.open) state.outbox.retryNow();
      },
      vote: (v) => voteCard.setVote(v),
    },
    onState: (connected) => {
      state.connected = connected;
      showLinkState();
    },
  });
}

// The browser's own offline flag wins: an open stream may not notice a dead
// network for a while, and the participant should know answers are queued.
function showLinkState() {
  if (!state.workshop) return;
  const offline = navigator.onLine === false;
  ui.linkState.hidden = false;
  ui.linkState.textContent = offline ? t('stream.offline') : state.connected ? t('stream.live') : t('stream.reconnecting');
  ui.linkState.classList.toggle('is-down', offline || !state.connected);
}

window.addEventListener('online', showLinkState);
window.addEventListener('offline', showLinkState);

function renderProfile() {
  const ws = state.workshop;
  ui.groupList.replaceChildren();
  for (let i = 1; i <= GROUP_SUGGESTIONS; i++) ui.groupList.append(el('option', { value: `Bord ${i}` }));
  ui.group.value = state.profile.group || '';
  const orgs = Array.isArray(ws.organisations) ? ws.organisations : [];
  ui.orgField.hidden = orgs.length === 0;
  if (!orgs.includes(state.profile.organisation)) state.profile.organisation = '';
  ui.org.replaceChildren(el('option', { value: '', text: t('about.orgNone') }), ...orgs.map((o) => el('option', { value: o, text: o })));
  ui.org.value = state.profile.organisation;
  // A participant who has not said anything yet sees the choice open.
  if (!state.profile.group && !state.profile.organisation && !ui.about.dataset.touched) ui.about.open = true;
}

function saveProfile() {
  state.profile.group = ui.group.value.trim().slice(0, 60);
  state.profile.organisation = ui.org.value;
  save(`inspel.profile.${state.workshop.id}`, state.profile);
}

ui.group.addEventListener('change', saveProfile);
ui.group.addEventListener('input', saveProfile);
ui.org.addEventListener('change', saveProfile);
ui.about.addEventListener('toggle', () => {
  ui.about.dataset.touched = '1';
});

// ---- questions ----------------------------------------------------------

function visibleQuestions() {
  const qs = state.workshop.questions || [];
  const before = state.seenOpen.size;
  for (const q of qs) if (q.open) state.seenOpen.add(q.id);
  if (state.seenOpen.size !== before) save(`inspel.seen.${state.workshop.id}`, [...state.seenOpen]);
  return qs
    .filter((q) => q.open || state.seenOpen.has(q.id) || state.outbox.forQuestion(q.id).length > 0)
    .sort((a, b) => (a.open === b.open ? a.position - b.position || a.id - b.id : a.open ? -1 : 1));
}

function renderQuestions() {
  if (!state.workshop) return;
  const pending = state.outbox.pendingCount();
  ui.outboxSummary.hidden = pending === 0;
  ui.outboxSummary.textContent = pending ? t('a.outboxCount', { n: pending }) : '';
  const qs = visibleQuestions();
  ui.noQuestion.hidden = qs.some((q) => q.open);
  const keep = new Set(qs.map((q) => q.id));
  for (const [id, card] of state.cards) {
    if (!keep.has(id)) {
      card.root.remove();
      state.cards.delete(id);
    }
  }
  // Cards are placed in order without removing the focused one from the DOM,
  // which would drop the focus and the on-screen keyboard.
  let prev = null;
  for (const q of qs) {
    let card = state.cards.get(q.id);
    if (!card) {
      card = makeCard(q);
      state.cards.set(q.id, card);
    }
    updateCard(card, q);
    const expected = prev ? prev.nextSibling : ui.questions.firstChild;
    if (expected !== card.root && !card.root.contains(document.activeElement)) {
      ui.questions.insertBefore(card.root, expected);
    }
    prev = card.root;
  }
}

function makeCard(q) {
  const base = `q${q.id}`;
  // No maxlength: the browser would cut a pasted text silently mid-sentence.
  const textarea = el('textarea', {
    id: `${base}-text`,
    name: 'text',
    rows: 3,
    'aria-describedby': `${base}-count ${base}-error ${base}-closed`,
  });
  const label = el('label', { for: `${base}-text` });
  const count = el('p', { id: `${base}-count`, class: 'char-count', hidden: true });
  const button = el('button', { type: 'submit', class: 'btn btn-primary' });
  const error = el('p', { id: `${base}-error`, class: 'error', role: 'alert' });
  const closedNote = el('p', { id: `${base}-closed`, class: 'closed-note' });
  const form = el('form', { class: 'stack answer-form', novalidate: true }, label, textarea, count, button, error);
  const listHeading = el('h3', { class: 'summary-heading own-heading' });
  const list = el('ul', { class: 'own-answers' });
  const own = el('details', { class: 'own-details' }, el('summary', {}, listHeading), list);
  const section = el('p', { class: 'section-name' });
  const badge = el('span', { class: 'badge' });
  const heading = el('h2', { id: `${base}-h`, class: 'question-text' });
  const root = el('article', { class: 'card question', 'aria-labelledby': `${base}-h`, dataset: { questionId: q.id } },
    el('div', { class: 'question-head' }, section, badge), heading, closedNote, form, own);
  const card = {
    root, form, textarea, label, count, button, error, closedNote, own, listHeading, list, section, badge, heading,
    items: new Map(), q, ownOpenFor: null,
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitAnswer(card);
  });
  textarea.addEventListener('input', () => {
    saveDraft(card.q.id, { text: textarea.value, answer_id: null });
    checkLength(card, true);
  });
  textarea.value = restoredDraft(q.id);
  return card;
}

// ---- drafts -------------------------------------------------------------

function draftKey(questionId) {
  return `inspel.draft.${state.workshop.id}.${questionId}`;
}

// draft: {text, answer_id}; answer_id names the outbox entry it was sent as.
function saveDraft(questionId, draft) {
  if (!draft.text.trim() && !draft.answer_id) remove(draftKey(questionId));
  else save(draftKey(questionId), draft);
}

// The text to put back in a new card: the draft, unless it was sent and the
// outbox has it (pending) or the server has answered for it (then it goes).
function restoredDraft(questionId) {
  const draft = load(draftKey(questionId), null);
  if (!draft || typeof draft.text !== 'string') return '';
  if (!draft.answer_id) return draft.text;
  const entry = state.outbox.entries.find((e) => e.answer_id === draft.answer_id);
  if (!entry) return draft.text;
  if (entry.state !== 'pending') remove(draftKey(questionId));
  return '';
}

// The server settled `entry`: the draft it was sent from is no longer needed.
function settleDraft(entry) {
  const draft = load(draftKey(entry.question_id), null);
  if (draft && draft.answer_id === entry.answer_id) remove(draftKey(entry.question_id));
}

// ---- length -------------------------------------------------------------

// Length as the server counts it: code points after NFC, without outer spaces.
function answerLength(text) {
  return [...text.trim().normalize('NFC')].length;
}

function formatCount(n) {
  return n.toLocaleString(currentLang() === 'sv' ? 'sv-SE' : 'en-GB');
}

// Shows the counter near the limit; over it, says why (once, in the alert
// region: the counter is not live, so typing does not repeat it) and blocks
// sending.  `typed`: the participant changed the text, so an earlier error
// ("write something") is out of date.
function checkLength(card, typed = false) {
  const n = answerLength(card.textarea.value);
  const over = n - ANSWER_MAX_CHARS;
  const max = formatCount(ANSWER_MAX_CHARS);
  card.count.hidden = n < ANSWER_MAX_CHARS * COUNT_FROM;
  card.count.textContent = over > 0
    ? t('q.countOver', { n: formatCount(n), max, over: formatCount(over) })
    : t('q.count', { n: formatCount(n), max });
  card.count.classList.toggle('is-over', over > 0);
  const message = t('q.tooLong', { max });
  if (over > 0) {
    if (card.error.textContent !== message) card.error.textContent = message;
    card.textarea.setAttribute('aria-invalid', 'true');
  } else {
    if (typed || card.error.textContent === message) card.error.textContent = '';
    card.textarea.removeAttribute('aria-invalid');
  }
  card.button.disabled = !card.q.open || over > 0;
}

function updateCard(card, q) {
  card.q = q;
  card.root.classList.toggle('is-closed', !q.open);
  card.section.textContent = q.section || '';
  card.badge.textContent = q.open ? t('common.open') : t('common.closed');
  card.badge.className = q.open ? 'badge badge-open' : 'badge badge-closed';
  card.heading.textContent = q.text;
  card.closedNote.textContent = q.open ? '' : t('q.closedNote');
  card.closedNote.hidden = q.open;
  card.label.textContent = t('q.answerLabel');
  card.button.textContent = t('q.send');
  card.textarea.disabled = !q.open;
  card.form.hidden = !q.open;
  checkLength(card);
  renderOwnAnswers(card);
}

function submitAnswer(card) {
  if (!card.q.open) return;
  const text = card.textarea.value.trim();
  if (!text) {
    card.error.textContent = t('q.empty');
    card.textarea.focus();
    return;
  }
  if (answerLength(text) > ANSWER_MAX_CHARS) {
    checkLength(card);
    card.textarea.focus();
    return;
  }
  const entry = state.outbox.add(card.q.id, text, state.profile.group, state.profile.organisation);
  saveDraft(card.q.id, { text, answer_id: entry.answer_id });
  card.textarea.value = '';
  checkLength(card);
  card.textarea.focus();
}

function statusText(entry) {
  if (entry.state === 'sent') return t('a.sent');
  if (entry.state === 'pending') return t('a.pending');
  const r = entry.reason || { kind: 'other', msg: '' };
  const reason = r.kind === 'closed' ? t('a.reason.closed') : r.kind === 'ended' ? t('a.reason.ended')
    : r.kind === 'full' ? t('a.reason.full') : r.kind === 'invalid' ? t('a.reason.invalid', { msg: r.msg }) : t('a.reason.other', { msg: r.msg });
  return t('a.failed', { reason });
}

function renderOwnAnswers(card) {
  const entries = state.outbox.forQuestion(card.q.id);
  card.own.hidden = entries.length === 0;
  card.listHeading.textContent = t('q.yourAnswers', { n: entries.length });
  // Open while the question is, or while an answer still needs attention;
  // a change of that reopens or collapses the list, the participant's own
  // toggling stands otherwise.
  const wantOpen = card.q.open || entries.some((e) => e.state !== 'sent');
  if (card.ownOpenFor !== wantOpen) {
    card.ownOpenFor = wantOpen;
    card.own.open = wantOpen;
  }
  const keep = new Set(entries.map((e) => e.answer_id));
  for (const [id, item] of card.items) {
    if (!keep.has(id)) {
      item.root.remove();
      card.items.delete(id);
    }
  }
  for (const e of entries) {
    let item = card.items.get(e.answer_id);
    if (!item) {
      const text = el('span', { class: 'own-text', text: e.text });
      const status = el('span', { class: 'own-status' });
      const actions = el('span', { class: 'own-actions' });
      item = { root: el('li', { class: 'own-answer', dataset: { answerId: e.answer_id } }, text, status, actions), status, actions, shownState: null };
      card.items.set(e.answer_id, item);
      card.list.append(item.root);
    }
    item.root.dataset.state = e.state;
    item.status.textContent = statusText(e);
    if (item.shownState !== e.state) {
      item.shownState = e.state;
      item.actions.replaceChildren();
      if (e.state === 'failed') {
        item.actions.append(
          el('button', { type: 'button', class: 'btn btn-small', text: t('a.retry'), onclick: () => state.outbox.retry(e.answer_id) }),
          el('button', { type: 'button', class: 'btn btn-small btn-secondary', text: t('a.remove'), onclick: () => state.outbox.discard(e.answer_id) }),
        );
      }
    }
  }
}

function onOutboxChange(entry, before) {
  if (!state.workshop) return;
  if (entry && entry.state !== 'pending') settleDraft(entry);
  if (entry && before && before !== entry.state) {
    if (entry.state === 'sent') announce(ui.status, t('a.statusSent', { text: entry.text }));
    else if (entry.state === 'failed') announce(ui.status, t('a.statusFailed', { text: entry.text }));
  }
  renderQuestions();
}

onLangChange(() => {
  if (!state.workshop) return;
  for (const card of state.cards.values()) {
    // Buttons of failed answers carry text too; rebuild them.
    for (const item of card.items.values()) item.shownState = null;
  }
  renderProfile();
  renderQuestions();
  voteCard.redraw();
  if (!ui.linkState.hidden) showLinkState();
});

// ---- start --------------------------------------------------------------

function start() {
  mountLangSwitch($('#lang'));
  const fromPath = codeFromPath();
  const joined = load('inspel.joined', null);
  if (fromPath) {
    join(fromPath, { fromUser: false });
  } else if (joined && joined.code) {
    join(joined.code, { fromUser: false });
  } else {
    showJoin('');
    resumeOtherOutboxes(clientIdFor, null);
  }
}

start();
