// console-lifecycle.js - the end of a workshop's life, in the console's
// "Series and report" tab: close it (its code takes nothing more) or reopen
// it, erase one participant's answers and votes by the code their phone
// shows, and delete the workshop with everything in it.
//
// Design: every action is one API call; deleting asks for the workshop's
// name typed out, which is also what the API requires as confirmation, so
// the console cannot delete by a slip of the mouse either.

import { $, announce } from './dom.js';
import { t, formatDate, formatTime } from './i18n.js';

const CODE_RE = /^[0-9A-Z]{8}$/;

// ctx: {call, errorText, status, ws(), onWorkshop(ws), onDeleted(ws)}
export function createLifecycleCard(ctx) {
  const ui = {
    state: $('#data-state'),
    error: $('#data-error'),
    close: $('#ws-close'),
    reopen: $('#ws-reopen'),
    eraseForm: $('#erase-form'),
    eraseCode: $('#erase-code'),
    deleteForm: $('#delete-form'),
    deleteConfirm: $('#delete-confirm'),
  };

  const path = (end = '') => `/api/workshops/${encodeURIComponent(ctx.ws().id)}${end}`;

  function draw() {
    const ws = ctx.ws();
    if (!ws) return;
    ui.state.textContent = ws.closed
      ? t('data.closed', { time: `${formatDate(ws.closed)} ${formatTime(ws.closed)}` })
      : t('data.open');
    ui.close.hidden = Boolean(ws.closed);
    ui.reopen.hidden = !ws.closed;
  }

  async function act(fn) {
    ui.error.textContent = '';
    try {
      await fn();
    } catch (e) {
      if (e.status !== 401) ui.error.textContent = ctx.errorText(e);
    }
  }

  async function setClosed(closed) {
    await act(async () => {
      const ws = await ctx.call(path(closed ? '/close' : '/reopen'), { method: 'POST' });
      ctx.onWorkshop(ws);
      draw();
      announce(ctx.status, closed ? t('data.closedDone') : t('data.reopenedDone'));
      (closed ? ui.reopen : ui.close).focus();
    });
  }

  ui.close.addEventListener('click', () => setClosed(true));
  ui.reopen.addEventListener('click', () => setClosed(false));

  ui.eraseForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const code = ui.eraseCode.value.replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
    if (!CODE_RE.test(code)) {
      ui.error.textContent = t('data.eraseBad');
      ui.eraseCode.focus();
      return;
    }
    act(async () => {
      const res = await ctx.call(path('/erase'), { method: 'POST', body: { code } });
      ui.eraseCode.value = '';
      announce(ctx.status, t('data.erased', res));
      ui.state.textContent = t('data.erased', res);
    });
  });

  ui.deleteForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const ws = ctx.ws();
    if (ui.deleteConfirm.value.trim() !== ws.title) {
      ui.error.textContent = t('data.deleteMismatch');
      ui.deleteConfirm.focus();
      return;
    }
    act(async () => {
      await ctx.call(path(), { method: 'DELETE', body: { confirm: ws.title } });
      ui.deleteConfirm.value = '';
      announce(ctx.status, t('data.deleted', { title: ws.title }));
      ctx.onDeleted(ws);
    });
  });

  return {
    show: draw,
    reset() {
      ui.error.textContent = '';
      ui.eraseCode.value = '';
      ui.deleteConfirm.value = '';
    },
  };
}
