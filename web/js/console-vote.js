// console-vote.js - the console's Voting tab: open a vote on the workshop's
// themes (dots per participant, themes to vote on), close or reopen it, and
// watch the results come in.
//
// Design: votes are loaded with GET .../votes when the tab opens and after
// each action; between those, the `vote` events of the console's event
// stream (which carry ballots and results) patch the vote they name, so the
// results are live without polling.  The theme checkboxes start with every
// theme that has answers ticked; what the facilitator unticks stays unticked
// when the list is refreshed.

import { el, $, announce, bar } from './dom.js';
import { t, formatDate } from './i18n.js';

const DOTS_MIN = 1;
const DOTS_MAX = 10;

// ctx: {call, errorText, status, wsId()}
export function createVoteTab(ctx) {
  const ui = {
    error: $('#vote-error'),
    current: $('#vote-current'),
    form: $('#vote-form'),
    dots: $('#vote-dots'),
    themes: $('#vote-themes'),
    themesEmpty: $('#vote-themes-empty'),
    formError: $('#vote-form-error'),
    list: $('#vote-list'),
    none: $('#vote-none'),
  };
  const st = { active: false, votes: [], themes: [], unticked: new Set() };

  const base = () => `/api/workshops/${encodeURIComponent(ctx.wsId())}`;

  async function load() {
    const id = ctx.wsId();
    try {
      const [votes, view] = await Promise.all([ctx.call(`${base()}/votes`), ctx.call(`${base()}/themes`)]);
      if (id !== ctx.wsId()) return;
      st.votes = votes.votes || [];
      st.themes = view.themes || [];
      ui.error.textContent = '';
      draw();
      drawThemeChoices();
    } catch (e) {
      if (e.status !== 401) ui.error.textContent = ctx.errorText(e);
    }
  }

  function results(v) {
    const rows = v.results || (v.themes || []).map((th) => ({ theme: th.id, label: th.label, dots: 0, voters: 0 }));
    const max = Math.max(1, ...rows.map((r) => r.dots));
    return el('ol', { class: 'vote-bars' },
      ...rows.map((r) => el('li', { dataset: { themeId: r.theme } },
        el('span', { class: 'vote-label', text: r.label }),
        el('span', { class: 'vote-num', text: t('vote.resultDots', { dots: r.dots, voters: r.voters || 0 }) }),
        bar(r.dots / max))));
  }

  function voteCard(v, headingLevel) {
    const headId = `vote-${v.id}`;
    const toggle = el('button', {
      type: 'button', class: v.open ? 'btn btn-danger' : 'btn', text: v.open ? t('vote.close') : t('vote.reopen'),
      onclick: () => setOpen(v, !v.open, toggle),
    });
    return el('article', { class: 'card vote-box', 'aria-labelledby': headId, dataset: { voteId: v.id } },
      el('div', { class: 'q-row' },
        el('div', {},
          el(headingLevel, { id: headId, text: t('vote.heading', { n: v.id, time: formatDate(v.created) }) }),
          el('p', { class: 'q-counts' },
            el('span', { class: v.open ? 'badge badge-open' : 'badge badge-closed', text: v.open ? t('common.open') : t('common.closed') }),
            ' ', t('vote.meta', { ballots: v.ballots || 0, dots: v.dots }))),
        toggle),
      results(v));
  }

  function draw() {
    const open = st.votes.find((v) => v.open);
    const latest = open || st.votes[st.votes.length - 1];
    ui.current.replaceChildren(...(latest ? [voteCard(latest, 'h3')] : []));
    const earlier = st.votes.filter((v) => v !== latest).reverse();
    ui.none.hidden = earlier.length > 0;
    ui.list.replaceChildren(...earlier.map((v) => voteCard(v, 'h4')));
  }

  function drawThemeChoices() {
    const themes = st.themes.filter((th) => th.size > 0);
    ui.themesEmpty.hidden = themes.length > 0;
    ui.themes.replaceChildren(
      ...themes.map((th, i) => {
        const id = `vt-${i}`;
        const box = el('input', { type: 'checkbox', id, value: th.id, checked: !st.unticked.has(th.id) });
        box.addEventListener('change', () => {
          if (box.checked) st.unticked.delete(th.id);
          else st.unticked.add(th.id);
        });
        return el('div', { class: 'radio' }, box, el('label', { for: id, text: t('vote.themeChoice', { label: th.label, n: th.size }) }));
      }),
    );
  }

  async function setOpen(v, open, button) {
    button.disabled = true;
    try {
      const updated = await ctx.call(`/api/votes/${v.id}`, { method: 'PATCH', body: { open } });
      announce(ctx.status, updated.open ? t('vote.opened') : t('vote.closed'));
      await load();
    } catch (e) {
      if (e.status !== 401) ui.error.textContent = ctx.errorText(e);
      button.disabled = false;
    }
  }

  ui.form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    ui.formError.textContent = '';
    const dots = Number(ui.dots.value);
    if (!Number.isInteger(dots) || dots < DOTS_MIN || dots > DOTS_MAX) {
      ui.formError.textContent = t('vote.badDots');
      ui.dots.focus();
      return;
    }
    const themes = [...ui.themes.querySelectorAll('input:checked')].map((b) => b.value);
    if (themes.length === 0) {
      ui.formError.textContent = t('vote.needThemes');
      return;
    }
    try {
      await ctx.call(`${base()}/votes`, { method: 'POST', body: { dots, themes } });
      announce(ctx.status, t('vote.opened'));
      await load();
    } catch (e) {
      if (e.status !== 401) ui.formError.textContent = ctx.errorText(e);
    }
  });

  return {
    show() {
      st.active = true;
      load();
    },
    hide() {
      st.active = false;
    },
    // A `vote` event (with results) or the snapshot's open vote.
    onVote(v) {
      if (!v || !st.active) return;
      const i = st.votes.findIndex((x) => x.id === v.id);
      if (v.open) for (const x of st.votes) x.open = x.id === v.id;
      if (i >= 0) st.votes[i] = { ...st.votes[i], ...v };
      else st.votes.push(v);
      draw();
    },
    // Theme counts changed: the choice list follows unless a vote form is in use.
    changed() {
      if (st.active && !ui.form.contains(document.activeElement)) load();
    },
    reset() {
      st.active = false;
      st.votes = [];
      st.themes = [];
      st.unticked.clear();
      ui.current.replaceChildren();
      ui.list.replaceChildren();
      ui.themes.replaceChildren();
      ui.error.textContent = '';
      ui.formError.textContent = '';
      ui.dots.value = '3';
    },
    redraw() {
      if (st.votes.length || st.themes.length) {
        draw();
        drawThemeChoices();
      }
    },
  };
}
