// ballot.js - the phone's voting card: put dots on themes while a vote is
// open, send the ballot once, and never lose it on a bad connection.
//
// Design: like the answer outbox, the ballot is written to localStorage
// (inspel.ballot.<workshop id>) before it is POSTed and re-sent until the
// server gives a final answer: 200/201 (sent; 200 is the server recognising
// a retry of the same ballot), 409 (already voted or the vote closed) or
// another 4xx.  Network errors, 429 and 5xx wait with capped exponential
// backoff and jitter, or Retry-After, and are retried at once when the
// phone comes back online or the event stream reconnects.  A ballot carries
// the participant token the phone got when it joined (one token, one voter);
// without one, or when the server refuses it (401), the phone asks for one
// and tries again, with the same backoff while the server has none to give.
// The dots being
// placed are stored too, so a reload mid-vote keeps them.  Rows are keyed
// by theme and updated in place so the focus stays on the +/− button.
// Once the ballot is counted (or the phone has voted before) the card
// shrinks to its heading and the message: the themes are done with.

import { request, isTransient, retryDelayMs } from './api.js';
import { el, $, announce } from './dom.js';
import { t } from './i18n.js';
import { load, save } from './store.js';

// clientIdFor(workshopId): the phone's id there; tokenFor(ws, {fresh}): its
// participant token (a promise, null when there is none yet); status: the
// page's polite live region; onUnsaved(): storage refused the ballot.
export function createVoteCard({ clientIdFor, tokenFor, status, onUnsaved }) {
  const ui = {
    card: $('#vote-card'),
    intro: $('#vote-intro'),
    left: $('#vote-left'),
    themes: $('#vote-themes'),
    submit: $('#vote-submit'),
    error: $('#vote-error'),
    msg: $('#vote-msg'),
  };
  const st = {
    ws: null, // {id, code}
    vote: null, // the open vote as phones see it, or null
    ballot: null, // {vote_id, dots: {theme: n}, state: draft|pending|sent|refused, reason, attempt}
    rowsFor: null, // vote id the rows were built for
    rows: new Map(), // theme id -> {count, minus, plus, pips}
    timer: null,
    sending: false,
  };

  const storageKey = () => `inspel.ballot.${st.ws.id}`;

  function persist() {
    if (!save(storageKey(), st.ballot)) onUnsaved();
  }

  function used() {
    return Object.values(st.ballot ? st.ballot.dots : {}).reduce((a, b) => a + b, 0);
  }

  // The stored ballot, or a fresh draft, for the vote on screen.
  function syncBallot() {
    if (!st.vote) return;
    const stored = load(storageKey(), null);
    if (stored && stored.vote_id === st.vote.id && stored.dots && typeof stored.dots === 'object') {
      st.ballot = stored;
    } else if (!st.ballot || st.ballot.vote_id !== st.vote.id) {
      st.ballot = { vote_id: st.vote.id, dots: {}, state: 'draft', reason: null, attempt: 0 };
    }
  }

  function change(themeId, delta) {
    const b = st.ballot;
    if (!b || b.state !== 'draft') return;
    const now = b.dots[themeId] || 0;
    const next = now + delta;
    if (next < 0 || (delta > 0 && used() >= st.vote.dots)) return;
    if (next === 0) delete b.dots[themeId];
    else b.dots[themeId] = next;
    ui.error.textContent = '';
    persist();
    draw();
  }

  function buildRows() {
    st.rows.clear();
    st.rowsFor = st.vote.id;
    ui.themes.replaceChildren(
      ...(st.vote.themes || []).map((th, i) => {
        const labelId = `vt-${st.vote.id}-${i}`;
        const count = el('span', { class: 'vote-count', 'aria-hidden': 'true' });
        const pips = el('span', { class: 'vote-pips', 'aria-hidden': 'true' });
        const minus = el('button', { type: 'button', class: 'btn vote-step', text: '−', onclick: () => change(th.id, -1) });
        const plus = el('button', { type: 'button', class: 'btn vote-step', text: '+', onclick: () => change(th.id, 1) });
        st.rows.set(th.id, { count, pips, minus, plus, label: th.label });
        return el('li', { class: 'vote-theme', dataset: { themeId: th.id } },
          el('span', { id: labelId, class: 'vote-theme-label', text: th.label }),
          el('span', { class: 'vote-controls' }, minus, count, plus),
          pips);
      }),
    );
  }

  function draw() {
    const v = st.vote;
    ui.card.hidden = !v || !v.open;
    if (ui.card.hidden) return;
    if (st.rowsFor !== v.id) buildRows();
    const b = st.ballot;
    const r = b.reason || {};
    const left = v.dots - used();
    const editable = b.state === 'draft';
    const done = b.state === 'sent' || (b.state === 'refused' && r.kind === 'already');
    ui.intro.hidden = done;
    ui.themes.hidden = done;
    ui.intro.textContent = t('pv.intro', { n: v.dots });
    ui.left.textContent = editable ? t('pv.left', { left, n: v.dots }) : '';
    ui.left.hidden = !editable;
    for (const [id, row] of st.rows) {
      const n = b.dots[id] || 0;
      row.count.textContent = String(n);
      row.pips.textContent = '●'.repeat(n);
      row.minus.disabled = !editable || n === 0;
      row.plus.disabled = !editable || left === 0;
      row.minus.setAttribute('aria-label', t('pv.minus', { label: row.label, n }));
      row.plus.setAttribute('aria-label', t('pv.plus', { label: row.label, n }));
    }
    ui.submit.hidden = !editable;
    ui.submit.disabled = used() === 0;
    ui.msg.textContent =
      b.state === 'sent' ? t('pv.thanks')
        : b.state === 'pending' ? t('pv.pending')
          : b.state === 'refused' ? (r.kind === 'closed' ? t('pv.closed') : r.kind === 'already' ? t('pv.already') : '')
            : '';
    ui.card.dataset.state = b.state;
  }

  ui.submit.addEventListener('click', () => {
    const b = st.ballot;
    if (!b || b.state !== 'draft') return;
    if (used() === 0) {
      ui.error.textContent = t('pv.needDots');
      return;
    }
    b.state = 'pending';
    b.attempt = 0;
    persist();
    draw();
    send();
  });

  async function send() {
    const b = st.ballot;
    if (!b || b.state !== 'pending' || st.sending || !st.ws) return;
    clearTimeout(st.timer);
    st.sending = true;
    const ws = st.ws;
    const token = await tokenFor(ws, { fresh: b.tokenRefused === true });
    const r = token
      ? await request('/api/ballots', {
        method: 'POST',
        body: { code: ws.code, vote_id: b.vote_id, client_id: clientIdFor(ws.id), token, dots: b.dots },
      })
      : { status: 429, retryAfter: null };
    st.sending = false;
    if (st.ws !== ws || st.ballot !== b) return;
    b.tokenRefused = r.status === 401;
    if (r.status === 200 || r.status === 201) {
      b.state = 'sent';
      announce(status, t('pv.thanks'));
    } else if (isTransient(r.status) || r.status === 401) {
      b.attempt += 1;
      st.timer = setTimeout(send, retryDelayMs(r, b.attempt));
    } else if (r.status === 409 || r.status === 410) {
      // The two refusals share a status: the vote's state tells them apart (410: the workshop ended).
      const closed = r.status === 410 || !st.vote || st.vote.id !== b.vote_id || !st.vote.open || /clos|stängd/i.test(r.error || '');
      b.state = 'refused';
      b.reason = { kind: closed ? 'closed' : 'already' };
      announce(status, closed ? t('pv.closed') : t('pv.already'));
    } else {
      // 422 and the like: the ballot itself was wrong; let the participant change it.
      b.state = 'draft';
      ui.error.textContent = t('common.error', { msg: r.error });
    }
    persist();
    draw();
  }

  function retryNow() {
    if (st.ballot && st.ballot.state === 'pending') send();
  }
  window.addEventListener('online', retryNow);

  return {
    // A workshop was opened (or left: null).
    setWorkshop(ws) {
      clearTimeout(st.timer);
      st.ws = ws ? { id: ws.id, code: ws.code } : null;
      st.vote = null;
      st.ballot = null;
      st.rowsFor = null;
      ui.card.hidden = true;
    },
    // The join object's or snapshot's "vote" (null = none open) or a vote event.
    setVote(v) {
      if (!st.ws) return;
      const wasOpen = Boolean(st.vote && st.vote.open);
      if (!v) {
        if (st.vote) st.vote = { ...st.vote, open: false };
      } else if (v.open || (st.vote && st.vote.id === v.id)) {
        st.vote = v;
      }
      const isOpen = Boolean(st.vote && st.vote.open);
      if (isOpen !== wasOpen) announce(status, isOpen ? t('pv.opened') : t('pv.ended'));
      syncBallot();
      // A reopened vote takes the ballot that came too late.
      const b = st.ballot;
      if (isOpen && b && b.state === 'refused' && b.reason && b.reason.kind === 'closed') {
        b.state = 'draft';
        b.reason = null;
        persist();
      }
      if (st.vote) draw();
      retryNow();
    },
    retryNow,
    redraw() {
      if (st.vote && st.ballot) draw();
    },
  };
}
