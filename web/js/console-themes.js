// console-themes.js - the console's Themes tab: every theme of the workshop
// (or of its series) with every answer under it, the curation actions
// (rename, merge, split, move, also), the themes file and the decision
// history with undo.
//
// Design: the tab is redrawn from GET .../themes after every action and
// after `themes`/`counts` events (throttled).  A redraw replaces the list, so
// it keeps the window's scroll position, puts the focus back on the control
// that had it (controls carry a data-focus key) and reopens the answer tools
// that were open.  Live updates wait while the focus is in the list (a
// redraw between a choice and its button would lose the choice; a "show
// changes" button offers them), while the facilitator's own actions redraw
// at once.  Decisions that name a discovered theme (new-N) carry the rev
// of the view on screen; a 409 means the themes moved on, so the view is
// reloaded and the facilitator is told to look again.  The history's
// sentences come from the server's table of decision kinds (GET
// /api/decision-kinds, the same words the report uses), fetched once.

import { el, $, announce } from './dom.js';
import { t, formatDate, currentLang } from './i18n.js';

const REFRESH_MIN_MS = 700;
const SNIPPET_CHARS = 60;
const ORIGINS = ['given', 'curated', 'discovered'];

function snippet(text) {
  const chars = [...(text || '')];
  return chars.length > SNIPPET_CHARS ? `${chars.slice(0, SNIPPET_CHARS - 1).join('').trimEnd()}…` : text || '';
}

function namesDiscovered(body) {
  return [body.theme, body.into, body.to, body.from].some((id) => typeof id === 'string' && id.startsWith('new-'));
}

// ctx: {call, errorText, status (live region), base() -> "/api/workshops/ID" or "/api/series/SID"}
export function createThemesTab(ctx) {
  const ui = {
    meta: $('#themes-meta'),
    error: $('#themes-error'),
    notice: $('#themes-notice'),
    list: $('#themes-list'),
    fileText: $('#themes-file-text'),
    fileError: $('#themes-file-error'),
    fileSave: $('#themes-file-save'),
    refresh: $('#themes-refresh'),
    decisionsEmpty: $('#decisions-empty'),
    decisionsTable: $('#decisions-table'),
    decisionsBody: $('#decisions-body'),
  };
  const st = {
    active: false,
    base: null, // the scope the data below belongs to
    view: null,
    shownRev: null, // rev of the view on screen (a redraw may be waiting)
    decisions: [],
    kinds: null, // decision kind name -> its row of GET /api/decision-kinds
    labels: new Map(), // theme id -> label from the decisions
    fileLabels: new Map(), // theme id -> label in the themes file in use
    fileText: '', // the themes file in use
    fileDirty: false,
    timer: null,
    lastLoad: 0,
    loading: false,
    again: false,
    deferred: false,
    renaming: null, // theme id whose heading is an input
    openTools: new Set(), // "themeId/answerId" of open answer tools
    seq: 0,
  };

  // ---- loading ----------------------------------------------------------

  function schedule() {
    if (!st.active) return;
    if (st.loading) {
      st.again = true;
      return;
    }
    clearTimeout(st.timer);
    st.timer = setTimeout(load, Math.max(0, st.lastLoad + REFRESH_MIN_MS - Date.now()));
  }

  // The facilitator is working inside the list: a redraw now would take
  // the control (and a half-made choice) away.
  function busy() {
    return st.renaming !== null || ui.list.contains(document.activeElement);
  }

  function drawNow() {
    st.deferred = false;
    ui.refresh.hidden = true;
    draw();
  }

  // force: the facilitator's own action, shown at once.
  async function load({ file = false, force = false } = {}) {
    const base = ctx.base();
    if (!st.active || !base) return;
    st.loading = true;
    st.lastLoad = Date.now();
    try {
      const [view, decisions, themesFile, kinds] = await Promise.all([ctx.call(`${base}/themes`),
        ctx.call(`${base}/decisions`), ctx.call(`${base}/themes-file`),
        st.kinds ? null : ctx.call('/api/decision-kinds')]);
      if (kinds) st.kinds = new Map(kinds.kinds.map((k) => [k.name, k]));
      if (base !== ctx.base()) return;
      if (st.base !== base) {
        st.base = base;
        st.renaming = null;
        st.openTools.clear();
        file = true;
      }
      st.view = view;
      st.decisions = decisions.decisions || [];
      st.fileText = themesFile.text || '';
      st.fileLabels = fileLabels(st.fileText);
      learnLabels();
      ui.error.textContent = '';
      if (!force && busy()) {
        st.deferred = true;
        ui.refresh.hidden = false;
      } else {
        drawNow();
      }
      drawDecisions();
      if (file || !st.fileDirty) {
        ui.fileText.value = st.fileText;
        st.fileDirty = false;
        ui.fileError.textContent = '';
      }
    } catch (e) {
      if (e.status !== 401) ui.error.textContent = ctx.errorText(e);
    } finally {
      st.loading = false;
      if (st.again) {
        st.again = false;
        schedule();
      }
    }
  }

  // The labels of a themes file: "id | label | term, term" lines, # comments.
  function fileLabels(text) {
    const labels = new Map();
    for (const line of text.split('\n')) {
      const s = line.trim();
      const parts = s.split('|');
      if (!s || s.startsWith('#') || parts.length !== 3) continue;
      const id = parts[0].trim();
      const label = parts[1].trim();
      if (id && label) labels.set(id, label);
    }
    return labels;
  }

  ui.list.addEventListener('focusout', () => {
    // Let the focus land first: it may move to another control of the list.
    setTimeout(() => {
      if (st.deferred && !busy()) drawNow();
    }, 0);
  });

  ui.refresh.addEventListener('click', drawNow);

  // ---- drawing ----------------------------------------------------------

  // A theme's label in the view; for a theme merged away, the label it had
  // when merged (the view's merged_labels); for one gone otherwise (an undone
  // adopt or split, a line taken out of the themes file), the label the
  // decisions last gave it.
  function labelOf(id) {
    const themes = st.view ? st.view.themes : [];
    const th = themes.find((x) => x.id === id);
    if (th) return th.label;
    for (const into of themes) {
      const k = (into.merged || []).indexOf(id);
      if (k >= 0) return into.merged_labels[k];
    }
    return st.labels.get(id) || id;
  }

  // Labels given by adopt, split and rename decisions, latest last: the
  // fallback for themes the view no longer mentions.
  function learnLabels() {
    st.labels.clear();
    for (const d of st.decisions) {
      const x = d.detail || {};
      if ((d.kind === 'adopt' || d.kind === 'split') && x.id && x.label) st.labels.set(x.id, x.label);
      else if (d.kind === 'rename' && x.theme && x.label && !d.undone_by) st.labels.set(x.theme, x.label);
    }
  }

  function answerById() {
    return new Map((st.view.answers || []).map((a) => [a.id, a]));
  }

  function draw() {
    const view = st.view;
    if (!view) return;
    const focusKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focus : null;
    const scrollY = window.scrollY;
    const answers = answerById();
    st.shownRev = view.rev;
    ui.meta.textContent = t('themes.meta', { total: view.total || 0, themes: view.themes.length, rev: view.rev, time: formatDate(view.analysed) });
    ui.list.replaceChildren(
      ...view.themes.map((th) => themeCard(th, answers)),
      unassignedCard(view.unassigned || [], answers),
    );
    window.scrollTo(window.scrollX, scrollY);
    if (focusKey) {
      const target = ui.list.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`);
      if (target) target.focus();
    }
  }

  function nextId(prefix) {
    st.seq += 1;
    return `${prefix}-${st.seq}`;
  }

  function themeCard(th, answers) {
    const origin = ORIGINS.includes(th.origin) ? th.origin : 'discovered';
    const headId = nextId('th');
    const head = el('div', { class: 'theme-card-head' });
    if (st.renaming === th.id) head.append(renameForm(th, headId));
    else {
      head.append(
        el('h3', { id: headId, class: 'theme-title', text: th.label }),
        el('span', { class: `badge badge-${origin}`, text: t(`origin.${origin}`) }),
        el('button', {
          type: 'button', class: 'btn btn-small', text: t('themes.rename'),
          'aria-label': t('themes.renameLabel', { label: th.label }), dataset: { focus: `rename/${th.id}` },
          onclick: () => {
            st.renaming = th.id;
            drawNow();
            const input = ui.list.querySelector(`[data-focus="rename-input/${CSS.escape(th.id)}"]`);
            if (input) {
              input.focus();
              input.select();
            }
          },
        }),
      );
    }
    const counts = el('p', { class: 'q-counts', text: t('themes.counts', { size: th.size, primary: th.primary }) });
    const terms = (th.terms || []).length
      ? el('p', { class: 'hint', text: t('themes.terms', { terms: th.terms.join(', ') }) })
      : null;
    const merged = (th.merged || []).length
      ? el('p', { class: 'hint', text: t('themes.merged', { ids: th.merged_labels.join(', ') }) })
      : null;
    const list = el('ul', { class: 'answers-list theme-answers', 'aria-labelledby': headId },
      ...(th.answers || []).map((id) => answers.get(id)).filter(Boolean).map((a) => answerRow(a, th)));
    return el('article', { class: `card theme-card origin-${origin}`, 'aria-labelledby': headId, dataset: { themeId: th.id } },
      head, counts, terms, merged, themeTools(th), list);
  }

  function renameForm(th, headId) {
    const inputId = nextId('rn');
    const input = el('input', { id: inputId, type: 'text', maxlength: 100, autocomplete: 'off', dataset: { focus: `rename-input/${th.id}` } });
    input.value = th.label;
    const cancel = () => {
      st.renaming = null;
      drawNow();
      const b = ui.list.querySelector(`[data-focus="rename/${CSS.escape(th.id)}"]`);
      if (b) b.focus();
    };
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') cancel();
    });
    const form = el('form', { class: 'inline-form', novalidate: true },
      el('h3', { id: headId, class: 'visually-hidden', text: th.label }),
      el('div', { class: 'stack' }, el('label', { for: inputId, text: t('themes.newLabel', { label: th.label }) }), input),
      el('button', { type: 'submit', class: 'btn btn-primary btn-small', text: t('themes.saveLabel') }),
      el('button', { type: 'button', class: 'btn btn-secondary btn-small', text: t('common.cancel'), onclick: cancel }));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const label = input.value.trim();
      if (!label) {
        ui.error.textContent = t('themes.needLabel');
        input.focus();
        return;
      }
      st.renaming = null;
      await decide({ kind: 'rename', theme: th.id, label }, t('themes.renamed', { label }));
    });
    return form;
  }

  function themeOptions(exclude) {
    return st.view.themes.filter((x) => !exclude.includes(x.id)).map((x) => el('option', { value: x.id, text: x.label }));
  }

  // Merge into another theme, or split a key term off into a new theme.
  function themeTools(th) {
    const mergeId = nextId('mg');
    const mergeSelect = el('select', { id: mergeId, dataset: { focus: `merge-select/${th.id}` } }, ...themeOptions([th.id]));
    const mergeForm = el('form', { class: 'inline-form', novalidate: true },
      el('div', { class: 'stack' }, el('label', { for: mergeId, text: t('themes.mergeInto', { label: th.label }) }), mergeSelect),
      el('button', { type: 'submit', class: 'btn btn-small', text: t('themes.merge'), dataset: { focus: `merge/${th.id}` } }));
    mergeForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!mergeSelect.value) return;
      decide({ kind: 'merge', theme: th.id, into: mergeSelect.value },
        t('themes.mergedDone', { label: th.label, into: labelOf(mergeSelect.value) }));
    });

    let splitForm = null;
    if ((th.terms || []).length > 1) {
      const termId = nextId('sp');
      const labelId = nextId('sl');
      const termSelect = el('select', { id: termId }, ...th.terms.map((term) => el('option', { value: term, text: term })));
      const labelInput = el('input', { id: labelId, type: 'text', maxlength: 100, autocomplete: 'off' });
      splitForm = el('form', { class: 'inline-form', novalidate: true },
        el('div', { class: 'stack' }, el('label', { for: termId, text: t('themes.splitTerm') }), termSelect),
        el('div', { class: 'stack' }, el('label', { for: labelId, text: t('themes.splitLabel') }), labelInput),
        el('button', { type: 'submit', class: 'btn btn-small', text: t('themes.split'), dataset: { focus: `split/${th.id}` } }));
      splitForm.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const label = labelInput.value.trim() || termSelect.value;
        decide({ kind: 'split', theme: th.id, term: termSelect.value, label }, t('themes.splitDone', { label }));
      });
    }
    const key = `tools/${th.id}`;
    const details = el('details', { class: 'theme-tools', open: st.openTools.has(key) },
      el('summary', { text: t('themes.tools'), dataset: { focus: key } }), mergeForm, splitForm);
    details.addEventListener('toggle', () => {
      if (details.open) st.openTools.add(key);
      else st.openTools.delete(key);
    });
    return details;
  }

  function answerMeta(a, th) {
    const parts = [];
    if (a.group) parts.push(a.group);
    if (a.organisation) parts.push(a.organisation);
    const others = (a.themes || []).filter((id) => !th || id !== th.id);
    if (th && a.themes && a.themes[0] === th.id) parts.push(t('themes.primary'));
    if (others.length) parts.push(t('themes.alsoIn', { labels: others.map(labelOf).join(', ') }));
    if ((a.human || []).length) parts.push(t('themes.human'));
    return parts.join(' · ');
  }

  // One answer with its tools: move it (from this theme) to another theme or
  // out of every theme, or put it in another theme as well.
  function answerRow(a, th) {
    const key = `${th ? th.id : ''}/${a.id}`;
    const details = el('details', { class: 'a-tools', open: st.openTools.has(key) },
      el('summary', { text: t('themes.answerTools'), 'aria-label': t('themes.answerToolsLabel', { text: snippet(a.text) }), dataset: { focus: `a/${key}` } }));
    const fill = () => {
      if (details.children.length > 1) return;
      // Nothing is chosen at first: "out of every theme" is a choice of its own, last.
      const moveId = nextId('mv');
      const moveError = el('p', { id: `${moveId}-error`, class: 'error', role: 'alert' });
      const choose = el('option', { value: '', text: t('themes.chooseTheme') });
      const none = th ? el('option', { value: '', text: t('themes.noTheme') }) : null;
      const moveSelect = el('select', { id: moveId, required: true, 'aria-describedby': moveError.id, dataset: { focus: `move-select/${key}` } },
        choose, ...themeOptions(th ? [th.id] : []), none);
      moveSelect.addEventListener('change', () => {
        moveError.textContent = '';
        moveSelect.removeAttribute('aria-invalid');
      });
      const moveForm = el('form', { class: 'inline-form', novalidate: true },
        el('div', { class: 'stack' }, el('label', { for: moveId, text: t('themes.moveTo') }), moveSelect),
        el('button', { type: 'submit', class: 'btn btn-small', text: t('themes.move'), dataset: { focus: `move/${key}` } }),
        moveError);
      moveForm.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const choice = moveSelect.selectedOptions[0];
        if (!choice || choice === choose) {
          moveError.textContent = t('themes.needTarget');
          moveSelect.setAttribute('aria-invalid', 'true');
          moveSelect.focus();
          return;
        }
        const to = choice === none ? null : choice.value;
        const body = { kind: 'move', answer: a.id, to };
        if (to && th) body.from = th.id;
        decide(body, to ? t('themes.moved', { label: labelOf(to) }) : t('themes.movedNone'));
      });
      details.append(moveForm);
      const notIn = (a.themes || []).concat(th ? [th.id] : []);
      const alsoOptions = themeOptions(notIn);
      if (th && alsoOptions.length) {
        const alsoId = nextId('al');
        const alsoSelect = el('select', { id: alsoId }, ...alsoOptions);
        const alsoForm = el('form', { class: 'inline-form', novalidate: true },
          el('div', { class: 'stack' }, el('label', { for: alsoId, text: t('themes.alsoPut') }), alsoSelect),
          el('button', { type: 'submit', class: 'btn btn-small', text: t('themes.also'), dataset: { focus: `also/${key}` } }));
        alsoForm.addEventListener('submit', (ev) => {
          ev.preventDefault();
          decide({ kind: 'also', answer: a.id, theme: alsoSelect.value }, t('themes.alsoDone', { label: labelOf(alsoSelect.value) }));
        });
        details.append(alsoForm);
      }
    };
    if (details.open) fill();
    details.addEventListener('toggle', () => {
      if (details.open) {
        st.openTools.add(key);
        fill();
      } else st.openTools.delete(key);
    });
    return el('li', { dataset: { answerId: a.id } },
      el('span', { class: 'a-text', text: a.text }),
      el('span', { class: 'a-meta', text: answerMeta(a, th) }),
      details);
  }

  function unassignedCard(ids, answers) {
    const headId = nextId('th');
    return el('article', { class: 'card theme-card theme-none', 'aria-labelledby': headId, dataset: { themeId: '' } },
      el('div', { class: 'theme-card-head' }, el('h3', { id: headId, class: 'theme-title', text: t('themes.unassigned') })),
      el('p', { class: 'q-counts', text: t('themes.unassignedCount', { n: ids.length }) }),
      el('ul', { class: 'answers-list theme-answers', 'aria-labelledby': headId },
        ...ids.map((id) => answers.get(id)).filter(Boolean).map((a) => answerRow(a, null))));
  }

  // ---- decisions --------------------------------------------------------

  async function decide(body, doneMessage) {
    if (!st.view) return;
    if (namesDiscovered(body)) body.rev = st.shownRev;
    ui.error.textContent = '';
    let ok = false;
    try {
      await ctx.call(`${ctx.base()}/decisions`, { method: 'POST', body });
      ok = true;
      ui.notice.hidden = true;
      announce(ctx.status, doneMessage);
    } catch (e) {
      if (e.status === 409 && body.kind !== 'undo') {
        ui.notice.hidden = false;
        ui.notice.textContent = t('themes.stale');
      } else if (e.status !== 401) {
        ui.error.textContent = ctx.errorText(e);
      }
    }
    await load({ file: ok && body.kind === 'themes', force: true });
    return ok;
  }

  // The sentence for decision `d` from its kind's row of the table
  // (analysis/curate/vocab.h): the first phrasing whose `when_null` field
  // is empty, "[...]" only when every field named inside has a value, and
  // {field} the field's value: a theme by the label `at(id)` says it had
  // just before this decision, an answer by its text, a decision (what an
  // undo took back) by its sentence in `said`, a list by its length.
  function describe(d, at, said) {
    const x = d.detail || {};
    const kind = st.kinds && st.kinds.get(d.kind);
    if (!kind) return d.kind;
    const answers = st.view ? answerById() : new Map();
    const has = (name) => x[name] !== undefined && x[name] !== null;
    const value = (name) => {
      const field = kind.fields.find((f) => f.name === name);
      if (!field || !has(name)) return '';
      const v = x[name];
      if (field.type === 'theme' || field.type === 'target' || field.type === 'new_theme') return at(v);
      if (field.type === 'answer') {
        const a = answers.get(Number(v));
        return a ? `”${snippet(a.text)}”` : `#${v}`;
      }
      if (field.type === 'decision') return said.get(Number(v)) ?? `#${v}`;
      return Array.isArray(v) ? String(v.length) : String(v);
    };
    const phrase = kind.says.find((p) => !p.when_null || !has(p.when_null)) || kind.says[kind.says.length - 1];
    return (phrase.console[currentLang()] ?? phrase.console.sv)
      .replace(/\[([^\]]*)\]/g, (m, inner) => ([...inner.matchAll(/\{(\w+)\}/g)].every(([, name]) => has(name)) ? inner : ''))
      .replace(/\{(\w+)\}/g, (m, name) => value(name));
  }

  function drawDecisions() {
    const list = st.decisions;
    ui.decisionsEmpty.hidden = list.length > 0;
    ui.decisionsTable.hidden = list.length === 0;
    // Decisions name themes by id; the facilitator saw labels.  Walking the
    // decisions in order from the themes file's labels tracks the label each
    // theme had at each point (as the report does): adopt and split name
    // theirs, a rename changes one and its undo changes it back, a themes
    // decision brings its file's labels.  Before the first themes decision,
    // a label it changed shows as in the file in use (the file it replaced
    // is not kept).
    const known = new Map(st.fileLabels);
    const renames = new Map(); // rename in force: decision id -> { theme, before, label }
    const files = []; // themes decisions in force, oldest first
    const at = (id) => known.get(id) || labelOf(id);
    const applyFile = (text) => {
      const renamed = new Set([...renames.values()].map((r) => r.theme));
      for (const [id, label] of fileLabels(text)) if (!renamed.has(id)) known.set(id, label);
    };
    const said = new Map(); // decision id -> its sentence, for the undo that takes it back
    const rows = list.map((d) => {
      const what = describe(d, at, said);
      said.set(d.id, what);
      const x = d.detail || {};
      if (d.kind === 'rename' && x.theme && x.label) {
        renames.set(d.id, { theme: x.theme, before: at(x.theme), label: x.label });
        known.set(x.theme, x.label);
      } else if ((d.kind === 'adopt' || d.kind === 'split') && x.id && x.label) {
        known.set(x.id, x.label);
      } else if (d.kind === 'themes' && typeof x.text === 'string') {
        files.push(d);
        applyFile(x.text);
      } else if (d.kind === 'undo') {
        const target = Number(x.decision);
        const r = renames.get(target);
        const k = files.findIndex((f) => f.id === target);
        if (r) {
          if (known.get(r.theme) === r.label) known.set(r.theme, r.before);
          renames.delete(target);
        } else if (k >= 0) {
          files.splice(k, 1);
          applyFile(files.length ? files[files.length - 1].detail.text : st.fileText);
        }
      }
      return { d, what };
    });
    ui.decisionsBody.replaceChildren(
      ...rows.reverse().map(({ d, what }) => {
        let action = null;
        if (d.undone_by) action = el('span', { class: 'hint', text: t('dec.undone', { n: d.undone_by }) });
        else if (d.kind !== 'undo') {
          action = el('button', {
            type: 'button', class: 'btn btn-small btn-secondary', text: t('dec.undoBtn'),
            'aria-label': t('dec.undoLabel', { n: d.id, what }),
            onclick: () => decide({ kind: 'undo', decision: d.id }, t('dec.undoneDone', { n: d.id })),
          });
        }
        return el('tr', { dataset: { decisionId: d.id } },
          el('td', { text: formatDate(d.created, { seconds: true }) }),
          el('td', { text: d.key_label || (d.key_id ? t('dec.key', { n: d.key_id }) : '') }),
          el('td', {}, el('span', { class: 'dec-num', text: `${d.id}. ` }), what),
          el('td', {}, action));
      }),
    );
  }

  // ---- themes file ------------------------------------------------------

  ui.fileText.addEventListener('input', () => {
    st.fileDirty = true;
    ui.fileError.textContent = '';
  });

  ui.fileSave.addEventListener('click', async () => {
    ui.fileError.textContent = '';
    ui.fileSave.disabled = true;
    try {
      await ctx.call(`${ctx.base()}/decisions`, { method: 'POST', body: { kind: 'themes', text: ui.fileText.value } });
      st.fileDirty = false;
      announce(ctx.status, t('themesFile.saved'));
      await load({ file: true, force: true });
    } catch (e) {
      if (e.status === 422) ui.fileError.textContent = t('themesFile.invalid', { msg: e.message });
      else if (e.status !== 401) ui.fileError.textContent = ctx.errorText(e);
      ui.fileText.focus();
    } finally {
      ui.fileSave.disabled = false;
    }
  });

  return {
    show() {
      st.active = true;
      load();
    },
    hide() {
      st.active = false;
      clearTimeout(st.timer);
    },
    // A themes or counts event, or a change of scope.
    changed: schedule,
    reset() {
      clearTimeout(st.timer);
      st.active = false;
      st.view = null;
      st.shownRev = null;
      st.base = null;
      st.decisions = [];
      st.labels.clear();
      st.fileLabels = new Map();
      st.fileText = '';
      st.renaming = null;
      st.openTools.clear();
      st.fileDirty = false;
      ui.list.replaceChildren();
      ui.meta.textContent = '';
      ui.error.textContent = '';
      ui.notice.hidden = true;
      ui.refresh.hidden = true;
      st.deferred = false;
      ui.fileText.value = '';
      ui.fileError.textContent = '';
      ui.decisionsBody.replaceChildren();
    },
    redraw() {
      if (st.view) {
        draw();
        drawDecisions();
      }
    },
  };
}
