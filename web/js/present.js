// present.js - the projector screen: join code + QR, the current question,
// the live answer count, and one of three views: the answer wall with the
// word cloud, the workshop's themes, or the results of a vote on them.
//
// Design: the screen is a pure function of the event stream.  Each
// (re)connection starts with a `snapshot` that replaces all state; later
// events patch it and a single render() redraws from state, batched to one
// per animation frame.  Wall items are keyed by answer id so only new answers
// get the arrival highlight.  The cloud is laid out deterministically: words
// sorted by count then alphabetically, then placed centre-out so the biggest
// sit in the middle, and sized with five discrete classes.  The view choice
// (buttons, or PageDown/PageUp from a clicker) is kept in localStorage; a
// vote that opens switches to the vote view, because that is what the room
// is asked to look at.  The screen shows answers and results, so its stream
// needs the presenter link's secret (/present/ID#s=SECRET): read from the
// fragment once, kept in the tab's session storage and taken out of the
// address bar at once, because the projector shows the address to the room.

import { el, $, bar } from './dom.js';
import { t, mountLangSwitch, onLangChange } from './i18n.js';
import { openStream } from './sse.js';
import { load, save } from './store.js';

const WALL_MAX = 40;
const CLOUD_MAX = 40;
const ANSWERS_KEPT = 200;
const THEMES_MAX = 12;
const TERMS_SHOWN = 4;
const QUOTE_MAX_CHARS = 140;
const VIEW_KEY = 'inspel.present.view';
const VIEWS = ['answers', 'themes', 'vote'];
const SECRET_KEY = 'inspel.present.secret.'; // + workshop id, in the tab's session storage

const ui = {
  title: $('#ws-title'),
  linkState: $('#link-state'),
  qr: $('#qr'),
  joinUrl: $('#join-url'),
  joinCode: $('#join-code'),
  questions: $('#questions'),
  count: $('#count'),
  countLabel: $('#count-label'),
  wall: $('#wall'),
  wallEmpty: $('#wall-empty'),
  cloud: $('#cloud'),
  cloudEmpty: $('#cloud-empty'),
  present: $('#present'),
  viewButtons: [...document.querySelectorAll('.view-btn')],
  themesView: $('#themes-view'),
  themesMeta: $('#themes-meta'),
  themesEmpty: $('#themes-empty'),
  themes: $('#themes'),
  voteView: $('#vote-view'),
  voteHeading: $('#vote-heading'),
  voteMeta: $('#vote-meta'),
  voteEmpty: $('#vote-empty'),
  voteResults: $('#vote-results'),
};

const savedView = load(VIEW_KEY, 'answers');

const state = {
  ws: null,
  answers: [], // newest first
  words: new Map(), // question id -> [{word, count}]
  counts: new Map(), // question id -> visible answers
  openOrder: [], // question ids in the order they were opened, latest last
  wallItems: new Map(), // answer id -> <li>
  firstRender: true,
  themes: null, // the presenter's themes summary {rev, total, unassigned, themes}
  vote: null, // the latest vote seen, with ballots and results
  view: VIEWS.includes(savedView) ? savedView : 'answers',
};

const workshopId = (/^\/present\/([A-Za-z0-9_-]+)\/?$/.exec(location.pathname) || [])[1];

let frame = 0;
function render() {
  if (!frame) frame = requestAnimationFrame(draw);
}

// The questions on screen: the open ones, latest opened first; when none is
// open, the one opened last (marked closed) so the room still sees the result.
function currentQuestions() {
  if (!state.ws) return [];
  const byId = new Map(state.ws.questions.map((q) => [q.id, q]));
  const order = state.openOrder.filter((id) => byId.has(id));
  const open = order.filter((id) => byId.get(id).open).reverse().map((id) => byId.get(id));
  if (open.length) return open;
  const last = order.length ? byId.get(order[order.length - 1]) : null;
  return last ? [last] : [];
}

function draw() {
  frame = 0;
  const ws = state.ws;
  if (!ws) return;
  const current = currentQuestions();
  const ids = new Set(current.map((q) => q.id));

  ui.questions.replaceChildren();
  if (current.length === 0) {
    ui.questions.append(el('h1', { text: t('present.noQuestion') }));
  }
  current.forEach((q, i) => {
    const suffix = q.open ? '' : ` ${t('present.closedTag')}`;
    ui.questions.append(
      el('p', { class: 'q-section', text: q.section || '' }),
      el(i === 0 ? 'h1' : 'h2', { class: i === 0 ? 'q-text' : 'q-text secondary', text: q.text + suffix }),
    );
  });

  const shown = current.length ? state.answers.filter((a) => ids.has(a.question_id)) : state.answers;
  let count = 0;
  if (current.length) {
    for (const q of current) {
      const inMemory = shown.filter((a) => a.question_id === q.id).length;
      count += Math.max(state.counts.get(q.id) || 0, inMemory);
    }
  } else {
    for (const n of state.counts.values()) count += n;
  }
  ui.count.textContent = String(count);
  ui.countLabel.textContent = t('present.count', { n: count });

  drawView();
  if (state.view === 'answers') {
    drawWall(shown.slice(0, WALL_MAX));
    drawCloud(current.length ? current.map((q) => q.id) : [...state.words.keys()]);
    state.firstRender = false;
  } else if (state.view === 'themes') {
    drawThemes();
  } else {
    drawVote();
  }
}

function drawView() {
  ui.present.dataset.view = state.view;
  for (const b of ui.viewButtons) b.setAttribute('aria-pressed', String(b.dataset.view === state.view));
  ui.themesView.hidden = state.view !== 'themes';
  ui.voteView.hidden = state.view !== 'vote';
}

function setView(view) {
  if (!VIEWS.includes(view) || view === state.view) return;
  state.view = view;
  save(VIEW_KEY, view);
  // Wall items drawn while hidden would all flash as new; draw them quietly.
  state.firstRender = view === 'answers';
  state.wallItems.clear();
  ui.wall.replaceChildren();
  render();
}

function shortQuote(text) {
  const chars = [...text];
  return chars.length > QUOTE_MAX_CHARS ? `${chars.slice(0, QUOTE_MAX_CHARS - 1).join('').trimEnd()}…` : text;
}

const ORIGIN_KEYS = { given: 'present.originGiven', curated: 'present.originCurated', discovered: 'present.originDiscovered' };

// Themes as horizontal bars, biggest first, empty ones left out; the bar
// length is the share of the biggest theme, set as a custom property.
function drawThemes() {
  const sum = state.themes;
  const themes = sum ? (sum.themes || []).filter((th) => th.size > 0) : [];
  themes.sort((a, b) => b.size - a.size);
  const shown = themes.slice(0, THEMES_MAX);
  const max = shown.length ? shown[0].size : 1;
  ui.themesMeta.textContent = sum
    ? t('present.themesMeta', { total: sum.total || 0, themes: themes.length, none: sum.unassigned || 0 })
    : '';
  ui.themesEmpty.hidden = shown.length > 0;
  ui.themes.replaceChildren(
    ...shown.map((th) => {
      const origin = ORIGIN_KEYS[th.origin] ? th.origin : 'discovered';
      const terms = (th.terms || []).slice(0, TERMS_SHOWN).join(' · ');
      const quotes = (th.quotes || []).slice(0, 2);
      return el('li', { class: `theme origin-${origin}`, dataset: { themeId: th.id } },
        el('div', { class: 'theme-head' },
          el('span', { class: 'theme-label', text: th.label }),
          el('span', { class: 'theme-origin', text: t(ORIGIN_KEYS[origin]) }),
          el('span', { class: 'theme-count', text: String(th.size) })),
        bar(th.size / max),
        terms ? el('p', { class: 'theme-terms', text: terms }) : null,
        ...quotes.map((q, k) => el('p', { class: `theme-quote quote-${k + 1}`, text: `”${shortQuote(q.text || '')}”` })),
      );
    }),
  );
  fitThemes();
}

// Makes the themes fit their box: first second quotes go, then all
// quotes, then the key terms; only then are the smallest themes left out.
const DENSITY_STEPS = ['', 'dense-1', 'dense-2', 'dense-3'];

function fitThemes() {
  const list = ui.themes;
  for (const li of list.children) li.hidden = false;
  for (const step of DENSITY_STEPS) {
    list.classList.remove(...DENSITY_STEPS.filter(Boolean));
    if (step) list.classList.add(step);
    if (list.scrollHeight <= list.clientHeight + 1) return;
  }
  fitList(list);
}

// Dots per theme as bars, most dots first (the server's order).
function drawVote() {
  const v = state.vote;
  ui.voteHeading.textContent = !v ? t('present.vote') : v.open ? t('present.voteOpen') : t('present.voteClosed');
  ui.voteMeta.textContent = v ? t('present.voteMeta', { ballots: v.ballots || 0, dots: v.dots }) : '';
  const results = v ? v.results || (v.themes || []).map((th) => ({ theme: th.id, label: th.label, dots: 0 })) : [];
  const max = Math.max(1, ...results.map((r) => r.dots));
  ui.voteEmpty.hidden = results.length > 0;
  ui.voteResults.replaceChildren(
    ...results.map((r) => el('li', { class: 'vote-result', dataset: { themeId: r.theme } },
      el('div', { class: 'theme-head' },
        el('span', { class: 'theme-label', text: r.label }),
        el('span', { class: 'theme-count', text: t('present.dots', { n: r.dots }) })),
      bar(r.dots / max))),
  );
  fitList(ui.voteResults);
}

// Hides the items of a list that would be cut off at the bottom of its box,
// and every one after the first that is: a list shows its first items in
// order, never a gap.  The first item always stays (clipped if it must be):
// one big item must not blank the list.
function fitList(list) {
  const items = [...list.children];
  for (const li of items) li.hidden = false;
  const limit = list.clientHeight;
  const top = list.offsetTop;
  const first = items.findIndex((li, i) => i > 0 && li.offsetTop - top + li.offsetHeight > limit);
  if (first < 0) return;
  items.forEach((li, i) => {
    li.hidden = i >= first;
  });
}

// A vote event or snapshot value.  A vote that opens (or a new one) brings
// the vote view up; results stay on screen after it closes.  The snapshot
// carries the latest vote, open or closed with its final result, or null
// when the workshop has none; it replaces what was shown.
function setVote(v, fromSnapshot) {
  const before = state.vote;
  if (!v) {
    if (fromSnapshot) state.vote = null;
    render();
    return;
  }
  state.vote = before && before.id === v.id && !v.results ? { ...before, ...v } : v;
  if (v.open && (!before || before.id !== v.id || !before.open)) setView('vote');
  render();
}

function drawWall(answers) {
  const keep = new Set(answers.map((a) => a.id));
  for (const [id, li] of state.wallItems) {
    if (!keep.has(id)) {
      li.remove();
      state.wallItems.delete(id);
    }
  }
  let prev = null;
  for (const a of answers) {
    let li = state.wallItems.get(a.id);
    if (!li) {
      li = el('li', { class: state.firstRender ? '' : 'is-new', dataset: { answerId: a.id } }, el('span', { class: 'wall-text', text: a.text }));
      state.wallItems.set(a.id, li);
    }
    const expected = prev ? prev.nextSibling : ui.wall.firstChild;
    if (expected !== li) ui.wall.insertBefore(li, expected);
    prev = li;
  }
  ui.wallEmpty.hidden = answers.length > 0;
  fitWall();
}

// Hides the (oldest) items that would be cut off at the bottom of the wall,
// so the projector never shows half an answer; app.css clamps each answer
// to three lines, so a long one costs three lines, not the wall.
function fitWall() {
  fitList(ui.wall);
}

function drawCloud(questionIds) {
  const merged = new Map();
  for (const id of questionIds) {
    for (const w of state.words.get(id) || []) merged.set(w.word, (merged.get(w.word) || 0) + w.count);
  }
  const sorted = [...merged]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || a.word.localeCompare(b.word, 'sv'))
    .slice(0, CLOUD_MAX);
  const max = sorted.length ? sorted[0].count : 1;
  const min = sorted.length ? sorted[sorted.length - 1].count : 1;
  // Centre-out: the most frequent word in the middle, the rest alternately
  // to its right and left, so the cloud is dense in the centre.
  const placed = [];
  sorted.forEach((w, i) => {
    if (i % 2 === 0) placed.push(w);
    else placed.unshift(w);
  });
  ui.cloud.replaceChildren(
    ...placed.map((w) => {
      // Equal counts say nothing about importance: all get the middle size.
      const size = max === min ? 3 : 1 + Math.round((4 * (w.count - min)) / (max - min));
      return el('li', { class: `w${size}`, title: String(w.count), text: w.word });
    }),
  );
  ui.cloudEmpty.hidden = sorted.length > 0;
  fitCloud();
}

// Shrinks the cloud's type in steps until no word is cut off by its box.
function fitCloud() {
  const box = ui.cloud;
  let scale = 1;
  box.style.setProperty('--cloud-scale', '1');
  while (box.scrollHeight > box.clientHeight + 1 && scale > 0.35) {
    scale -= 0.1;
    box.style.setProperty('--cloud-scale', scale.toFixed(2));
  }
}

function setWorkshop(snap) {
  const was = new Map(state.ws ? state.ws.questions.map((q) => [q.id, q.open]) : []);
  state.ws = snap;
  ui.title.textContent = snap.title;
  document.title = `${snap.title} – Inspel`;
  ui.joinCode.textContent = snap.code;
  // The server's join address, never this page's: the projector may be open at localhost.
  const joinUrl = snap.join_url || '';
  // Without the scheme: shorter to read off a wall, and phones add it.
  ui.joinUrl.textContent = joinUrl.replace(/^https?:\/\//, '');
  const qrSrc = `/api/join/${encodeURIComponent(snap.code)}/qr.svg`;
  if (ui.qr.getAttribute('src') !== qrSrc) ui.qr.src = qrSrc;
  ui.qr.hidden = false;
  // Keep the known opening order; questions newly seen open go last, by position.
  state.openOrder = state.openOrder.filter((id) => snap.questions.some((q) => q.id === id));
  const newlyOpen = snap.questions.filter((q) => q.open && !was.get(q.id) && !state.openOrder.includes(q.id));
  newlyOpen.sort((a, b) => a.position - b.position);
  for (const q of newlyOpen) state.openOrder.push(q.id);
  state.counts = new Map(snap.questions.map((q) => [q.id, q.answers || 0]));
}

// The presenter link's secret: from the fragment (#s=SECRET) the first
// time, which then leaves the address bar; from session storage on reload.
function presenterSecret() {
  const m = /^#s=([A-Za-z0-9]+)$/.exec(location.hash);
  if (m) {
    save(SECRET_KEY + workshopId, m[1], 'session');
    history.replaceState(null, '', location.pathname + location.search);
    return m[1];
  }
  return load(SECRET_KEY + workshopId, null, 'session');
}

function showError(key) {
  ui.linkState.hidden = true;
  ui.questions.replaceChildren(el('h1', { class: 'present-error', text: t(key) }));
}

function start() {
  mountLangSwitch($('#lang'));
  if (!workshopId) {
    showError('present.notFound');
    return;
  }
  const secret = presenterSecret();
  openStream(workshopId, {
    answers: true,
    auth: secret ? `Presenter ${secret}` : null,
    handlers: {
      snapshot: (snap) => {
        setWorkshop(snap);
        state.answers = (snap.answers || []).slice().sort((a, b) => b.id - a.id).slice(0, ANSWERS_KEPT);
        state.words = new Map(Object.entries(snap.words || {}).map(([qid, words]) => [Number(qid), words]));
        if (snap.themes) state.themes = snap.themes;
        setVote(snap.vote || null, true);
      },
      question: (q) => {
        if (!state.ws) return;
        const qs = state.ws.questions;
        const i = qs.findIndex((x) => x.id === q.id);
        const wasOpen = i >= 0 && qs[i].open;
        if (i >= 0) qs[i] = { ...qs[i], ...q };
        else qs.push(q);
        if (q.open && !wasOpen) {
          state.openOrder = state.openOrder.filter((id) => id !== q.id);
          state.openOrder.push(q.id);
        }
        if (typeof q.answers === 'number') state.counts.set(q.id, q.answers);
        render();
      },
      counts: (c) => {
        for (const [qid, n] of Object.entries(c.questions || {})) state.counts.set(Number(qid), n);
        render();
      },
      answer: (a) => {
        if (state.answers.some((x) => x.id === a.id)) return;
        state.answers.unshift(a);
        state.answers.sort((x, y) => y.id - x.id);
        state.answers.length = Math.min(state.answers.length, ANSWERS_KEPT);
        render();
      },
      hide: (h) => {
        state.answers = state.answers.filter((a) => a.id !== h.id);
        render();
      },
      words: (w) => {
        state.words.set(w.question_id, w.words || []);
        render();
      },
      themes: (sum) => {
        if (state.themes && typeof sum.rev === 'number' && sum.rev < state.themes.rev) return;
        state.themes = sum;
        render();
      },
      vote: (v) => setVote(v, false),
    },
    onNotFound: () => showError('present.notFound'),
    onDenied: () => showError('present.denied'),
    onState: (connected) => {
      ui.linkState.hidden = false;
      ui.linkState.classList.toggle('is-down', !connected);
      ui.linkState.textContent = connected ? t('stream.live') : t('stream.reconnecting');
    },
  });
}

for (const b of ui.viewButtons) b.addEventListener('click', () => setView(b.dataset.view));

// A presenter's clicker sends PageDown/PageUp (arrow keys on a keyboard):
// they step through the views.  Not letters or digits, which a speech
// input user could trigger by accident (WCAG 2.1.4).
const NEXT_KEYS = ['PageDown', 'ArrowRight', 'ArrowDown'];
const PREV_KEYS = ['PageUp', 'ArrowLeft', 'ArrowUp'];
document.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.shiftKey) return;
  const step = NEXT_KEYS.includes(ev.key) ? 1 : PREV_KEYS.includes(ev.key) ? -1 : 0;
  if (!step) return;
  ev.preventDefault();
  setView(VIEWS[(VIEWS.indexOf(state.view) + step + VIEWS.length) % VIEWS.length]);
});

window.addEventListener('resize', () => render());

onLangChange(() => {
  render();
  if (!ui.linkState.hidden) {
    ui.linkState.textContent = ui.linkState.classList.contains('is-down') ? t('stream.reconnecting') : t('stream.live');
  }
});

start();
