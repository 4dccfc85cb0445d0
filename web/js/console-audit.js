// console-audit.js - the console's "Log" tab: who did what in the workshop
// (GET /api/workshops/ID/audit), newest first.
//
// Design: the log is read when the tab opens and on "Refresh", never
// streamed: it is for looking back, not for watching.  Each entry is one
// sentence written from its action and detail; a question is named by its
// number and an answer by its text when the console has them, and an
// action this page does not know yet is shown by its name, so entries
// that a newer server writes are never hidden.

import { el, $ } from './dom.js';
import { t, formatDate } from './i18n.js';

const QUOTE_MAX = 80;

// ctx: {call, errorText, ws(), answers()}
export function createAuditTab(ctx) {
  const ui = {
    refresh: $('#audit-refresh'),
    error: $('#audit-error'),
    empty: $('#audit-empty'),
    table: $('#audit-table'),
    body: $('#audit-body'),
  };
  const st = { entries: null, wsId: null };

  function quote(text) {
    return text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX - 1)}…` : text;
  }

  function who(e) {
    if (e.key_id === null) return t('audit.cli');
    return e.key_label || t('audit.key', { id: e.key_id });
  }

  // The sentence of one entry.
  function what(e) {
    const d = e.detail || {};
    const ws = ctx.ws();
    switch (e.action) {
      case 'question.open':
      case 'question.close': {
        const i = ws ? ws.questions.findIndex((q) => q.id === d.question) : -1;
        return t(`audit.${e.action}`, { n: i >= 0 ? i + 1 : `#${d.question}` });
      }
      case 'answer.hide':
      case 'answer.show': {
        const a = ctx.answers().find((x) => x.id === d.answer);
        return t(`audit.${e.action}`, { text: a ? quote(a.text) : `#${d.answer}` });
      }
      case 'workshop.series':
        return t(d.series ? 'audit.workshop.series' : 'audit.workshop.seriesOut');
      default: {
        const key = `audit.${e.action}`;
        const s = t(key, d);
        return s === key ? e.action : s;
      }
    }
  }

  function draw() {
    const list = st.entries || [];
    ui.empty.hidden = st.entries === null || list.length > 0;
    ui.table.hidden = list.length === 0;
    ui.body.replaceChildren(...list.map((e) => el('tr', {},
      el('td', { text: formatDate(e.created) }),
      el('td', { text: who(e) }),
      el('td', { text: what(e) }))));
  }

  async function load() {
    const ws = ctx.ws();
    if (!ws) return;
    ui.refresh.disabled = true;
    try {
      const data = await ctx.call(`/api/workshops/${encodeURIComponent(ws.id)}/audit`);
      if (ctx.ws() && ctx.ws().id === ws.id) {
        st.entries = data.audit || [];
        st.wsId = ws.id;
        ui.error.textContent = '';
      }
    } catch (e) {
      if (e.status !== 401) ui.error.textContent = ctx.errorText(e);
    } finally {
      ui.refresh.disabled = false;
    }
    draw();
  }

  ui.refresh.addEventListener('click', load);

  return {
    show: load,
    redraw: draw,
    reset() {
      st.entries = null;
      st.wsId = null;
      ui.error.textContent = '';
      draw();
    },
  };
}
