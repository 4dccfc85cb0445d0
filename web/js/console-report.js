// console-report.js - the console's "Series and report" tab: put the
// workshop in a series (or a new one) or take it out, and download the
// report of the current scope in six formats (the buttons' data-format:
// html, md, csv, json, docx, xlsx; the Excel workbook is what a Swedish
// Excel opens in columns, where a comma CSV lands in one).
//
// Design: the report needs the facilitator key, which must never go into a
// URL (it would end up in history and logs), so a download is an API call
// with the key (ctx.call with `file`) whose body becomes a Blob behind an
// object URL, saved through a temporary <a download> named from
// Content-Disposition.

import { el, $, announce } from './dom.js';
import { t, currentLang } from './i18n.js';

const FILENAME_RE = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i;
const REVOKE_AFTER_MS = 30000;

// ctx: {call, errorText, status, ws(), onWorkshop(ws), scopeBase(), scopeName()}
export function createReportTab(ctx) {
  const ui = {
    current: $('#series-current'),
    error: $('#series-error'),
    putForm: $('#series-put'),
    select: $('#series-select'),
    remove: $('#series-remove'),
    createForm: $('#series-create'),
    newTitle: $('#series-new-title'),
    scope: $('#report-scope'),
    lang: $('#report-lang'),
    buttons: [...document.querySelectorAll('.download-buttons [data-format]')],
    reportError: $('#report-error'),
  };
  const st = { series: [] };

  async function load() {
    try {
      st.series = (await ctx.call('/api/series')).series || [];
      ui.error.textContent = '';
    } catch (e) {
      if (e.status !== 401) ui.error.textContent = ctx.errorText(e);
    }
    draw();
  }

  function seriesTitle(id) {
    const s = st.series.find((x) => x.id === id);
    return s ? s.title : id;
  }

  function draw() {
    const ws = ctx.ws();
    if (!ws) return;
    ui.current.textContent = ws.series ? t('series.inSeries', { title: seriesTitle(ws.series) }) : t('series.notInSeries');
    const chosen = ui.select.value || ws.series || '';
    ui.select.replaceChildren(...st.series.map((s) => el('option', { value: s.id, text: s.title })));
    if (chosen && st.series.some((s) => s.id === chosen)) ui.select.value = chosen;
    ui.putForm.hidden = st.series.length === 0;
    ui.remove.hidden = !ws.series;
    ui.scope.textContent = ctx.scopeName();
  }

  async function setSeries(series, message) {
    ui.error.textContent = '';
    try {
      const ws = await ctx.call(`/api/workshops/${encodeURIComponent(ctx.ws().id)}`, { method: 'PATCH', body: { series } });
      ctx.onWorkshop(ws);
      announce(ctx.status, message);
      await load();
      return true;
    } catch (e) {
      if (e.status !== 401) ui.error.textContent = ctx.errorText(e);
      return false;
    }
  }

  ui.putForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (ui.select.value) setSeries(ui.select.value, t('series.put.done', { title: seriesTitle(ui.select.value) }));
  });
  ui.remove.addEventListener('click', () => setSeries(null, t('series.removed')));

  ui.createForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    ui.error.textContent = '';
    const title = ui.newTitle.value.trim();
    if (!title) {
      ui.error.textContent = t('series.needTitle');
      ui.newTitle.focus();
      return;
    }
    let series;
    try {
      series = await ctx.call('/api/series', { method: 'POST', body: { title } });
    } catch (e) {
      if (e.status !== 401) ui.error.textContent = ctx.errorText(e);
      return;
    }
    st.series.unshift(series);
    ui.select.value = series.id;
    if (await setSeries(series.id, t('series.created', { title }))) ui.newTitle.value = '';
  });

  async function download(format, button) {
    ui.reportError.textContent = '';
    button.disabled = true;
    const path = `${ctx.scopeBase()}/report?format=${encodeURIComponent(format)}&lang=${encodeURIComponent(ui.lang.value)}`;
    try {
      const { blob, disposition } = await ctx.call(path, { file: true });
      const m = FILENAME_RE.exec(disposition || '');
      const name = m ? decodeURIComponent(m[1]) : `inspel-report.${format}`;
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      // Revoking at once can cancel the save in some browsers.
      setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
      announce(ctx.status, t('report.saved', { name }));
    } catch (e) {
      if (e.status !== 401) ui.reportError.textContent = ctx.errorText(e);
    } finally {
      button.disabled = false;
    }
  }

  ui.lang.addEventListener('change', () => {
    ui.lang.dataset.touched = '1';
  });

  for (const b of ui.buttons) {
    b.addEventListener('click', () => download(b.dataset.format, b));
  }

  return {
    show() {
      if (!ui.lang.dataset.touched) ui.lang.value = currentLang();
      draw();
      load();
    },
    redraw: draw,
    reset() {
      st.series = [];
      ui.error.textContent = '';
      ui.reportError.textContent = '';
      ui.select.replaceChildren();
    },
    seriesTitle,
    loadSeries: load,
  };
}
