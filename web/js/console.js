// console.js - the facilitator console: log in with the key, list and create
// workshops, open/close questions, watch answers and hide/unhide them, hand
// out the presenter link; the Themes, Voting, Series/report and Log tabs live
// in console-themes.js, console-vote.js, console-report.js and
// console-audit.js.
//
// Design: the key lives in sessionStorage (gone when the tab closes) and any
// 401 sends the facilitator back to the key prompt.  What a key may see is
// the server's business: a workshop of another key is simply "not found".
// The view is chosen by the URL hash (#/, #/new,
// #/w/ID[/themes|/vote|/report|/audit]) so a reload stays where it was.
// Live updates come from the event stream with ?answers=1 and the key,
// but the stream carries no hidden answers, so every event only *triggers* a
// throttled re-fetch of the facilitator API; rows are keyed by answer id and
// updated in place so focus on a Hide button survives the refresh.

import { apiJSON, ApiError } from './api.js';
import { el, $, announce } from './dom.js';
import { t, mountLangSwitch, onLangChange, formatDate, formatTime } from './i18n.js';
import { openStream } from './sse.js';
import { load, save, remove } from './store.js';
import { createThemesTab } from './console-themes.js';
import { createVoteTab } from './console-vote.js';
import { createReportTab } from './console-report.js';
import { createLifecycleCard } from './console-lifecycle.js';
import { createAuditTab } from './console-audit.js';

const KEY = 'inspel.key';
const DEFAULT_ORGS = ['Region', 'Kommun', 'Skola', 'Privat vårdgivare', 'Annan'];
const REFRESH_MIN_MS = 700;
const TABS = ['questions', 'themes', 'vote', 'report', 'audit'];

const ui = {
  status: $('#status'),
  logout: $('#logout'),
  linkState: $('#link-state'),
  loginView: $('#login-view'),
  loginForm: $('#login-form'),
  key: $('#key'),
  loginError: $('#login-error'),
  listView: $('#list-view'),
  listError: $('#list-error'),
  listEmpty: $('#list-empty'),
  listTable: $('#list-table'),
  listBody: $('#list-body'),
  newWs: $('#new-ws'),
  createView: $('#create-view'),
  createForm: $('#create-form'),
  wsTitleInput: $('#ws-title-input'),
  customEditor: $('#custom-editor'),
  questionRows: $('#question-rows'),
  addQuestion: $('#add-question'),
  orgRows: $('#org-rows'),
  addOrg: $('#add-org'),
  createError: $('#create-error'),
  createCancel: $('#create-cancel'),
  wsView: $('#ws-view'),
  wsTitle: $('#ws-title'),
  wsError: $('#ws-error'),
  wsCode: $('#ws-code'),
  wsJoinUrl: $('#ws-join-url'),
  joinWarning: $('#join-warning'),
  wsPresent: $('#ws-present'),
  presenterUrl: $('#ws-presenter-url'),
  presenterCopy: $('#ws-presenter-copy'),
  presenterRenew: $('#ws-presenter-renew'),
  wsTotal: $('#ws-total'),
  wsQuestions: $('#ws-questions'),
  tabs: [...document.querySelectorAll('.tabs .tab')],
  panels: new Map(TABS.map((name) => [name, $(`#panel-${name}`)])),
  scopeBox: $('#scope-box'),
  themesScopeSlot: $('#themes-meta').parentElement,
  reportScopeSlot: $('#report-scope-slot'),
  scopeSeriesLabel: $('#scope-series-label'),
};

const views = [ui.loginView, ui.listView, ui.createView, ui.wsView];

const state = {
  key: load(KEY, null, 'session'),
  ws: null, // current workshop (facilitator object, with hidden counts)
  answers: [],
  stream: null,
  cards: new Map(), // question id -> card parts
  rows: new Map(), // answer id -> row parts
  refreshTimer: null,
  lastRefresh: 0,
  refreshing: false,
  refreshAgain: false,
  listCache: [],
  tab: 'questions',
  scope: 'workshop', // or 'series' when the workshop is in one
};

function show(view) {
  for (const v of views) v.hidden = v !== view;
  ui.logout.hidden = view === ui.loginView;
}

// Runs an API call with the key; a 401 logs out with a message.
async function call(path, opts = {}) {
  try {
    return await apiJSON(path, { ...opts, key: state.key });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      logout(state.key ? t('login.expired') : t('login.wrong'));
    }
    throw e;
  }
}

function errorText(e) {
  if (e instanceof ApiError && e.status === 0) return t('common.networkError');
  return t('common.error', { msg: e.message });
}

// The API path of what the Themes tab and the downloads show.
function scopeBase() {
  const ws = state.ws;
  if (!ws) return null;
  if (state.scope === 'series' && ws.series) return `/api/series/${encodeURIComponent(ws.series)}`;
  return `/api/workshops/${encodeURIComponent(ws.id)}`;
}

const themesTab = createThemesTab({ call, errorText, status: ui.status, base: scopeBase });
const voteTab = createVoteTab({ call, errorText, status: ui.status, wsId: () => (state.ws ? state.ws.id : null) });
const reportTab = createReportTab({
  call,
  errorText,
  status: ui.status,
  ws: () => state.ws,
  onWorkshop: (ws) => {
    state.ws = { ...state.ws, ...ws };
    syncScope();
  },
  scopeBase,
  scopeName: () => scopeName(),
});

const lifecycleCard = createLifecycleCard({
  call,
  errorText,
  status: ui.status,
  ws: () => state.ws,
  onWorkshop: (ws) => {
    state.ws = { ...state.ws, ...ws };
  },
  onDeleted: () => {
    location.hash = '#/';
  },
});
const auditTab = createAuditTab({ call, errorText, ws: () => state.ws, answers: () => state.answers });

function scopeName() {
  const ws = state.ws;
  if (!ws) return '';
  return state.scope === 'series' && ws.series
    ? t('scope.nowSeries', { title: reportTab.seriesTitle(ws.series) })
    : t('scope.nowWorkshop', { title: ws.title });
}

// ---- login --------------------------------------------------------------

function logout(message) {
  state.key = null;
  remove(KEY, 'session');
  leaveWorkshop();
  show(ui.loginView);
  ui.loginError.textContent = message || '';
  ui.key.value = '';
  ui.key.focus();
}

ui.loginForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const key = ui.key.value.trim();
  if (!key) {
    ui.loginError.textContent = t('login.wrong');
    ui.key.focus();
    return;
  }
  try {
    await apiJSON('/api/workshops', { key });
  } catch (e) {
    ui.loginError.textContent = e.status === 401 ? t('login.wrong') : errorText(e);
    ui.key.focus();
    return;
  }
  state.key = key;
  save(KEY, key, 'session');
  ui.key.value = '';
  route();
});

ui.logout.addEventListener('click', () => {
  logout('');
  if (location.hash) history.replaceState(null, '', location.pathname);
});

// ---- routing ------------------------------------------------------------

function route() {
  if (!state.key) {
    logout('');
    return;
  }
  const hash = location.hash;
  const m = /^#\/w\/([A-Za-z0-9_-]+)(?:\/(themes|vote|report|audit))?$/.exec(hash);
  if (m) {
    openWorkshop(m[1], m[2] || 'questions');
  } else if (hash === '#/new') {
    leaveWorkshop();
    showCreate();
  } else {
    leaveWorkshop();
    showList();
  }
}

window.addEventListener('hashchange', route);

// ---- workshop list ------------------------------------------------------

async function showList() {
  show(ui.listView);
  ui.listError.textContent = '';
  let data;
  try {
    data = await call('/api/workshops');
  } catch (e) {
    if (e.status !== 401) ui.listError.textContent = errorText(e);
    return;
  }
  state.listCache = data.workshops || [];
  renderList();
}

function renderList() {
  const list = state.listCache;
  ui.listEmpty.hidden = list.length > 0;
  ui.listTable.hidden = list.length === 0;
  ui.listBody.replaceChildren(
    ...list.map((w) =>
      el('tr', {},
        el('td', { text: w.title }),
        el('td', { class: 'code', text: w.code }),
        el('td', { text: formatDate(w.created) }),
        el('td', { text: String((w.questions || []).length) }),
        el('td', {}, el('a', { class: 'btn btn-small', href: `#/w/${w.id}`, 'aria-label': t('list.openBtnLabel', { title: w.title }), text: t('list.openBtn') })),
      ),
    ),
  );
}

ui.newWs.addEventListener('click', () => {
  location.hash = '#/new';
});

// ---- create -------------------------------------------------------------

function showCreate() {
  show(ui.createView);
  ui.createForm.reset();
  ui.createError.textContent = '';
  ui.questionRows.replaceChildren();
  addQuestionRow(t('create.defaultSection'), '');
  ui.orgRows.replaceChildren();
  for (const o of DEFAULT_ORGS) addOrgRow(o);
  syncSource();
  ui.wsTitleInput.focus();
}

function syncSource() {
  const custom = ui.createForm.elements.source.value === 'custom';
  ui.customEditor.hidden = !custom;
}

for (const radio of ui.createForm.querySelectorAll('input[name="source"]')) radio.addEventListener('change', syncSource);

let rowSeq = 0;

// Labels carry the row's number; renumber after a removal.
function renumber() {
  [...ui.questionRows.children].forEach((row, i) => {
    row.querySelector('.q-label').textContent = t('create.question', { n: i + 1 });
    row.querySelector('.q-remove').setAttribute('aria-label', t('create.removeQuestion', { n: i + 1 }));
    row.querySelector('.s-label').textContent = t('create.section');
  });
  [...ui.orgRows.children].forEach((row, i) => {
    row.querySelector('.o-label').textContent = t('create.org', { n: i + 1 });
    row.querySelector('.o-remove').setAttribute('aria-label', t('create.removeOrg', { n: i + 1 }));
  });
}

function addQuestionRow(section, text) {
  const n = ++rowSeq;
  const sectionInput = el('input', { id: `sec-${n}`, type: 'text', class: 'q-section', maxlength: 60, autocomplete: 'off' });
  sectionInput.value = section;
  const textInput = el('textarea', { id: `qtext-${n}`, class: 'q-text', rows: 2, maxlength: 500 });
  textInput.value = text;
  const row = el('div', { class: 'editor-row' },
    el('div', { class: 'stack' }, el('label', { for: `sec-${n}`, class: 's-label' }), sectionInput),
    el('div', { class: 'stack' }, el('label', { for: `qtext-${n}`, class: 'q-label' }), textInput),
    el('button', { type: 'button', class: 'btn btn-small btn-danger q-remove', text: '✕' }),
  );
  row.querySelector('.q-remove').addEventListener('click', () => {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber();
    (next ? next.querySelector('.q-text') : ui.addQuestion).focus();
  });
  ui.questionRows.append(row);
  renumber();
  return textInput;
}

function addOrgRow(value) {
  const n = ++rowSeq;
  const input = el('input', { id: `org-${n}`, type: 'text', class: 'o-name', maxlength: 60, autocomplete: 'off' });
  input.value = value;
  const row = el('div', { class: 'org-row' },
    el('div', { class: 'stack' }, el('label', { for: `org-${n}`, class: 'o-label' }), input),
    el('button', { type: 'button', class: 'btn btn-small btn-danger o-remove', text: '✕' }),
  );
  row.querySelector('.o-remove').addEventListener('click', () => {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber();
    (next ? next.querySelector('.o-name') : ui.addOrg).focus();
  });
  ui.orgRows.append(row);
  renumber();
  return input;
}

ui.addQuestion.addEventListener('click', () => {
  const sections = ui.questionRows.querySelectorAll('.q-section');
  const last = sections.length ? sections[sections.length - 1].value : t('create.defaultSection');
  addQuestionRow(last, '').focus();
});
ui.addOrg.addEventListener('click', () => addOrgRow('').focus());
ui.createCancel.addEventListener('click', () => {
  location.hash = '#/';
});

ui.createForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  ui.createError.textContent = '';
  const title = ui.wsTitleInput.value.trim();
  if (!title) {
    ui.createError.textContent = t('create.needTitle');
    ui.wsTitleInput.focus();
    return;
  }
  const organisations = [...ui.orgRows.querySelectorAll('.o-name')].map((i) => i.value.trim()).filter(Boolean);
  const body = { title, organisations };
  if (ui.createForm.elements.source.value === 'template') {
    body.template = 'primarvard';
  } else {
    body.questions = [...ui.questionRows.children]
      .map((row) => ({ section: row.querySelector('.q-section').value.trim(), text: row.querySelector('.q-text').value.trim() }))
      .filter((q) => q.text);
    if (body.questions.length === 0) {
      ui.createError.textContent = t('create.needQuestion');
      return;
    }
  }
  let ws;
  try {
    ws = await call('/api/workshops', { method: 'POST', body });
  } catch (e) {
    if (e.status !== 401) ui.createError.textContent = errorText(e);
    return;
  }
  announce(ui.status, t('create.created', { title: ws.title }));
  location.hash = `#/w/${ws.id}`;
});

// ---- one workshop -------------------------------------------------------

function leaveWorkshop() {
  themesTab.reset();
  voteTab.reset();
  reportTab.reset();
  lifecycleCard.reset();
  auditTab.reset();
  state.scope = 'workshop';
  if (state.stream) state.stream.close();
  clearTimeout(state.refreshTimer);
  state.stream = null;
  state.ws = null;
  state.answers = [];
  state.cards.clear();
  state.rows.clear();
  ui.wsQuestions.replaceChildren();
  ui.linkState.hidden = true;
}

// The scope choice is offered only to a workshop in a series.
function syncScope() {
  const ws = state.ws;
  const inSeries = Boolean(ws && ws.series);
  if (!inSeries) state.scope = 'workshop';
  ui.scopeBox.hidden = !inSeries || (state.tab !== 'themes' && state.tab !== 'report');
  if (inSeries) ui.scopeSeriesLabel.textContent = t('scope.series', { title: reportTab.seriesTitle(ws.series) });
  for (const r of ui.scopeBox.querySelectorAll('input[name="scope"]')) r.checked = r.value === state.scope;
  reportTab.redraw();
}

for (const r of ui.scopeBox.querySelectorAll('input[name="scope"]')) {
  r.addEventListener('change', () => {
    if (!r.checked) return;
    state.scope = r.value;
    syncScope();
    if (state.tab === 'themes') themesTab.changed();
  });
}

function showTab(name) {
  state.tab = name;
  const id = state.ws.id;
  for (const a of ui.tabs) {
    a.href = a.dataset.tab === 'questions' ? `#/w/${id}` : `#/w/${id}/${a.dataset.tab}`;
    if (a.dataset.tab === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  for (const [tab, panel] of ui.panels) panel.hidden = tab !== name;
  // One scope choice, shown in whichever of the two tabs is open.
  if (name === 'themes') ui.themesScopeSlot.after(ui.scopeBox);
  else if (name === 'report') ui.reportScopeSlot.append(ui.scopeBox);
  if (name === 'themes') themesTab.show();
  else themesTab.hide();
  if (name === 'vote') voteTab.show();
  else voteTab.hide();
  if (name === 'report') reportTab.show();
  if (name === 'report') lifecycleCard.show();
  if (name === 'audit') auditTab.show();
  syncScope();
}

async function openWorkshop(id, tab) {
  if (state.ws && state.ws.id === id) {
    showTab(tab);
    return;
  }
  leaveWorkshop();
  show(ui.wsView);
  ui.wsTitle.textContent = t('common.loading');
  ui.wsError.textContent = '';
  try {
    state.ws = await call(`/api/workshops/${encodeURIComponent(id)}`);
    state.answers = (await call(`/api/workshops/${encodeURIComponent(id)}/answers`)).answers || [];
  } catch (e) {
    ui.wsTitle.textContent = '';
    if (e.status === 404) ui.wsError.textContent = t('ws.notFound');
    else if (e.status !== 401) ui.wsError.textContent = errorText(e);
    state.ws = null;
    return;
  }
  renderWorkshop();
  // The series' title names the scope choice.
  if (state.ws.series) reportTab.loadSeries().then(syncScope);
  showTab(tab);
  ui.wsTitle.focus();
  state.stream = openStream(id, {
    answers: true,
    auth: `Bearer ${state.key}`,
    handlers: {
      snapshot: (snap) => {
        scheduleRefresh();
        if (snap.vote) voteTab.onVote(snap.vote);
      },
      question: () => scheduleRefresh(),
      counts: () => {
        scheduleRefresh();
        themesTab.changed();
      },
      answer: () => scheduleRefresh(),
      hide: () => scheduleRefresh(),
      themes: () => {
        themesTab.changed();
        voteTab.changed();
      },
      vote: (v) => voteTab.onVote(v),
    },
    onState: (connected) => {
      ui.linkState.hidden = false;
      ui.linkState.classList.toggle('is-down', !connected);
      ui.linkState.textContent = connected ? t('stream.live') : t('stream.reconnecting');
    },
    onDenied: () => logout(t('login.expired')),
  });
}

// At most one refresh per REFRESH_MIN_MS, and always one after the last event.
function scheduleRefresh() {
  if (!state.ws) return;
  if (state.refreshing) {
    state.refreshAgain = true;
    return;
  }
  clearTimeout(state.refreshTimer);
  const wait = Math.max(0, state.lastRefresh + REFRESH_MIN_MS - Date.now());
  state.refreshTimer = setTimeout(refresh, wait);
}

async function refresh() {
  const ws = state.ws;
  if (!ws) return;
  state.refreshing = true;
  state.lastRefresh = Date.now();
  try {
    const [fresh, answers] = await Promise.all([
      call(`/api/workshops/${encodeURIComponent(ws.id)}`),
      call(`/api/workshops/${encodeURIComponent(ws.id)}/answers`),
    ]);
    if (state.ws && state.ws.id === ws.id) {
      const seriesChanged = fresh.series !== state.ws.series;
      state.ws = fresh;
      drawPresenter();
      if (seriesChanged) {
        syncScope();
        themesTab.changed();
      }
      state.answers = answers.answers || [];
      ui.wsError.textContent = '';
      renderWorkshop();
    }
  } catch (e) {
    if (e.status !== 401 && state.ws) ui.wsError.textContent = errorText(e);
  } finally {
    state.refreshing = false;
    if (state.refreshAgain) {
      state.refreshAgain = false;
      scheduleRefresh();
    }
  }
}

function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

// Does `host` lead only to this computer (so no phone can open it)?
function isLoopback(host) {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '[::1]' || host === '::1';
}

function questionNumber(q) {
  return state.ws.questions.indexOf(q) + 1;
}

function renderWorkshop() {
  const ws = state.ws;
  ui.wsTitle.textContent = ws.title;
  ui.wsTitle.setAttribute('tabindex', '-1');
  document.title = `${ws.title} – ${t('console.title')}`;
  ui.wsCode.textContent = ws.code;
  // The server's join address, never this page's: the console may be open at localhost.
  const joinUrl = ws.join_url || '';
  ui.wsJoinUrl.textContent = joinUrl;
  ui.wsJoinUrl.href = joinUrl;
  const unreachable = isLoopback(location.hostname) && isLoopback(hostOf(joinUrl));
  ui.joinWarning.hidden = !unreachable;
  ui.joinWarning.textContent = unreachable ? t('ws.loopbackWarning', { url: joinUrl }) : '';
  drawPresenter();
  const total = ws.questions.reduce((sum, q) => sum + (q.answers || 0), 0);
  ui.wsTotal.textContent = t('ws.total', { n: total });
  for (const q of ws.questions) {
    let card = state.cards.get(q.id);
    if (!card) {
      card = makeQuestionCard(q);
      state.cards.set(q.id, card);
      ui.wsQuestions.append(card.root);
    }
    updateQuestionCard(card, q);
  }
  renderAnswers();
}

// ---- the presenter link --------------------------------------------------

// The projector's link carries its own secret (so it needs no key); the
// console shows it, copies it and can replace it when it went too far.
function drawPresenter() {
  const url = (state.ws && state.ws.presenter_url) || '';
  ui.wsPresent.href = url || '/';
  ui.presenterUrl.value = url;
}

ui.presenterCopy.addEventListener('click', async () => {
  const url = ui.presenterUrl.value;
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    // No clipboard API on plain http off localhost: copy the selection instead.
    ui.presenterUrl.select();
    try {
      copied = document.execCommand('copy');
    } catch {
      copied = false;
    }
  }
  announce(ui.status, copied ? t('ws.presenterCopied') : t('ws.presenterCopyFailed'));
  if (!copied) ui.presenterUrl.select();
});

ui.presenterRenew.addEventListener('click', async () => {
  const ws = state.ws;
  if (!ws) return;
  ui.presenterRenew.disabled = true;
  try {
    const fresh = await call(`/api/workshops/${encodeURIComponent(ws.id)}/presenter`, { method: 'POST' });
    if (state.ws && state.ws.id === ws.id) {
      state.ws.presenter_url = fresh.presenter_url;
      drawPresenter();
      announce(ui.status, t('ws.presenterRenewed'));
    }
  } catch (e) {
    if (e.status !== 401) ui.wsError.textContent = errorText(e);
  } finally {
    ui.presenterRenew.disabled = false;
  }
});

function makeQuestionCard(q) {
  const heading = el('h3', { id: `cq${q.id}` });
  const section = el('p', { class: 'section-name' });
  const badge = el('span', { class: 'badge' });
  const counts = el('p', { class: 'q-counts' });
  const toggle = el('button', { type: 'button', class: 'btn' });
  const answersHeading = el('h4', { class: 'visually-hidden' });
  const list = el('ul', { class: 'answers-list', 'aria-labelledby': `cq${q.id}` });
  const empty = el('p', { class: 'hint' });
  const root = el('article', { class: 'card', 'aria-labelledby': `cq${q.id}`, dataset: { questionId: q.id } },
    el('div', { class: 'q-row' },
      el('div', {}, el('div', { class: 'question-head' }, section, badge), heading, counts),
      toggle),
    answersHeading, empty, list);
  const card = { root, heading, section, badge, counts, toggle, list, empty, answersHeading, q };
  toggle.addEventListener('click', () => toggleQuestion(card));
  return card;
}

function updateQuestionCard(card, q) {
  card.q = q;
  const n = questionNumber(q);
  card.section.textContent = q.section || '';
  card.heading.textContent = `${n}. ${q.text}`;
  card.badge.textContent = q.open ? t('common.open') : t('common.closed');
  card.badge.className = q.open ? 'badge badge-open' : 'badge badge-closed';
  card.counts.textContent = t('ws.counts', { visible: q.answers || 0, hidden: q.hidden || 0 });
  card.toggle.textContent = q.open ? t('ws.closeQ', { n }) : t('ws.openQ', { n });
  card.toggle.className = q.open ? 'btn btn-danger' : 'btn btn-primary';
  card.answersHeading.textContent = t('ws.answers');
  card.empty.textContent = t('ws.noAnswers');
}

async function toggleQuestion(card) {
  const q = card.q;
  const n = questionNumber(q);
  card.toggle.disabled = true;
  try {
    const updated = await call(`/api/questions/${q.id}`, { method: 'PATCH', body: { open: !q.open } });
    const i = state.ws.questions.findIndex((x) => x.id === q.id);
    state.ws.questions[i] = { ...q, ...updated };
    updateQuestionCard(card, state.ws.questions[i]);
    announce(ui.status, updated.open ? t('ws.qOpened', { n }) : t('ws.qClosed', { n }));
  } catch (e) {
    if (e.status !== 401) ui.wsError.textContent = errorText(e);
  } finally {
    card.toggle.disabled = false;
  }
}

function renderAnswers() {
  // Answers arrive oldest first; each new one goes on top of its question's list.
  for (const a of state.answers) {
    let row = state.rows.get(a.id);
    const card = state.cards.get(a.question_id);
    if (!card) continue;
    if (!row) {
      row = makeAnswerRow(a);
      state.rows.set(a.id, row);
      card.list.prepend(row.root);
    }
    updateAnswerRow(row, a);
  }
  for (const card of state.cards.values()) card.empty.hidden = card.list.children.length > 0;
}

function makeAnswerRow(a) {
  const text = el('span', { class: 'a-text', text: a.text });
  const meta = el('span', { class: 'a-meta' });
  const button = el('button', { type: 'button', class: 'btn btn-small' });
  // Answers with personal data wait off the projector until someone lets them through.
  const release = el('button', { type: 'button', class: 'btn btn-small btn-release', hidden: true });
  const root = el('li', { dataset: { answerId: a.id } }, text, meta, el('span', { class: 'a-actions' }, release, button));
  const row = { root, text, meta, button, release, a };
  button.addEventListener('click', () => toggleHidden(row));
  release.addEventListener('click', () => letThrough(row));
  return row;
}

function updateAnswerRow(row, a) {
  row.a = a;
  row.root.classList.toggle('is-hidden', a.hidden);
  row.root.classList.toggle('is-held', !!a.held);
  const parts = [formatTime(a.created), a.group || t('ws.noGroup')];
  if (a.organisation) parts.push(a.organisation);
  row.meta.replaceChildren(parts.join(' · '));
  if (a.flagged) row.meta.append(' · ', el('span', { class: 'tag-pii', text: a.held ? t('ws.piiHeld') : t('ws.pii') }));
  if (a.hidden) row.meta.append(' · ', el('span', { class: 'tag-hidden', text: t('ws.hidden') }));
  row.button.textContent = a.hidden ? t('ws.unhide') : t('ws.hide');
  row.button.setAttribute('aria-label', a.hidden ? t('ws.unhideLabel', { text: a.text }) : t('ws.hideLabel', { text: a.text }));
  row.release.hidden = !a.held;
  row.release.textContent = t('ws.release');
  row.release.setAttribute('aria-label', t('ws.releaseLabel', { text: a.text }));
}

async function letThrough(row) {
  row.release.disabled = true;
  try {
    const updated = await call(`/api/answers/${row.a.id}`, { method: 'PATCH', body: { released: true } });
    const i = state.answers.findIndex((x) => x.id === row.a.id);
    const merged = { ...row.a, ...updated };
    if (i >= 0) state.answers[i] = merged;
    updateAnswerRow(row, merged);
    announce(ui.status, merged.hidden ? t('ws.releasedHidden') : t('ws.releasedDone'));
    row.button.focus(); // the button that had focus is gone
  } catch (e) {
    if (e.status !== 401) ui.wsError.textContent = errorText(e);
  } finally {
    row.release.disabled = false;
  }
}

async function toggleHidden(row) {
  row.button.disabled = true;
  try {
    const updated = await call(`/api/answers/${row.a.id}`, { method: 'PATCH', body: { hidden: !row.a.hidden } });
    const i = state.answers.findIndex((x) => x.id === row.a.id);
    const merged = { ...row.a, ...updated };
    if (i >= 0) state.answers[i] = merged;
    updateAnswerRow(row, merged);
    announce(ui.status, merged.hidden ? t('ws.hiddenDone') : t('ws.unhiddenDone'));
    scheduleRefresh(); // the counts changed
  } catch (e) {
    if (e.status !== 401) ui.wsError.textContent = errorText(e);
  } finally {
    row.button.disabled = false;
  }
}

onLangChange(() => {
  if (!ui.listView.hidden) renderList();
  if (!ui.createView.hidden) renumber();
  if (state.ws) {
    renderWorkshop();
    themesTab.redraw();
    voteTab.redraw();
    auditTab.redraw();
    syncScope();
  }
  if (!ui.linkState.hidden) {
    ui.linkState.textContent = ui.linkState.classList.contains('is-down') ? t('stream.reconnecting') : t('stream.live');
  }
});

mountLangSwitch($('#lang'));
route();
