// The plan writers' report end to end: answers (some hostile) go into the
// real server, then `inspel report` and GET .../report make every format;
// HTML must be self-contained and escaped, CSV must parse back to the
// answers, DOCX and XLSX must convert with LibreOffice (the workbook's
// text as text, never run as a formula), JSON numbers must match their id
// lists, and a series report has the theme x workshop tables.  Times are
// in the workshop's zone, the decision log says what an undo took back,
// and one table written two ways is one table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer, api } from '../lib/server.mjs';
import { createWorkshop, setOpen, answer, withToken } from './helpers.mjs';

const FORMATS = ['html', 'md', 'csv', 'json', 'docx', 'xlsx'];
const HOSTILE = '<script>alert("x")</script>, "citat"\nny rad =cmd';
const FORMULA = '=HYPERLINK("http://evil.example","klicka")';
// Swedish Excel splits a line on ';': each piece is guarded, not only the cell's start.
const PIECES = 'Bra;=1+1;';
const TEXTS = [
  'Kontinuitet.', 'Läkarkontinuitet är viktigt för äldre', 'Fast läkarkontakt och samma sköterska',
  'Teamsamverkan mellan region och kommun', 'SIP och samverkan kring barn', 'Mobila team i samverkan',
  'Hemmonitorering för KOL', 'Digitala vårdmöten och AI i dokumentationen', 'Digitalisering av det förebyggande arbetet',
  'Administration tar för mycket tid', 'Psykisk ohälsa bland unga ökar', HOSTILE, FORMULA,
  '*fet* _kursiv_ [länk](javascript:alert(1)) # rubrik ]]> &amp; <img src=x onerror=alert(1)>', PIECES,
];
const HIDDEN = 'Detta dolda svar får inte synas';
// A line break with no comma or quote: only the line break makes the CSV field need quotes.
const BARE_LF = 'Första raden\nandra raden utan kommatecken';
TEXTS.push(BARE_LF);

// RFC 4180, strictly: fields, quotes doubled inside quoted fields, CRLF rows.
// A line break outside quotes other than the row's CRLF, a quote inside an
// unquoted field, or anything but a comma or CRLF after a closing quote is
// an error: a spreadsheet would split the row there.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let closed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') { quoted = false; closed = true; } else field += c;
      continue;
    }
    if (c === ',') { row.push(field); field = ''; closed = false; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field); rows.push(row); row = []; field = ''; closed = false; i++;
    } else if (closed) throw new Error(`CSV: ${JSON.stringify(c)} after a closing quote at ${i}`);
    else if (c === '\n' || c === '\r') throw new Error(`CSV: line break outside quotes at ${i}`);
    else if (c === '"' && field === '') quoted = true;
    else if (c === '"') throw new Error(`CSV: quote inside an unquoted field at ${i}`);
    else field += c;
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function report(args) {
  return spawnSync(BIN, ['report', ...args], { encoding: 'utf8' });
}

async function fill(server, ws, texts, fields = {}) {
  const ids = [];
  for (const [i, text] of texts.entries()) {
    const q = ws.questions[i % 2].id;
    const res = await answer(server, ws, { question_id: q, text, group: `Bord ${1 + (i % 3)}`, organisation: i % 2 ? 'Region' : 'Kommun', ...fields });
    assert.equal(res.status, 201, res.text);
    ids.push(res.json.id);
  }
  return ids;
}

async function keyed(server, method, path, body) {
  return api(server, method, path, { key: server.key, body });
}

function libreoffice() {
  return ['libreoffice', 'soffice'].find((b) => spawnSync(b, ['--version'], { encoding: 'utf8' }).status === 0);
}

// `file` converted by LibreOffice to `to` (pdf, csv: comma-separated UTF-8) in `dir`; the path of the result.
function convert(lo, file, to, dir) {
  const profile = mkdtempSync(join(tmpdir(), 'inspel-lo-'));
  const filter = to === 'csv' ? 'csv:Text - txt - csv (StarCalc):44,34,76' : to;
  try {
    execFileSync(lo, [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', filter, '--outdir', dir, file],
      { timeout: 120000, stdio: 'ignore' });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return join(dir, file.replace(/^.*\//, '').replace(/\.[a-z]+$/, `.${to}`));
}

// Every sheet of the workbook `file` as rows of cells, by sheet name, in sheet order (LibreOffice writes
// one CSV per sheet, "<file>-<sheet>.csv").
function sheetsOf(lo, file, dir) {
  const sub = mkdtempSync(join(dir, 'sheets-'));
  const profile = mkdtempSync(join(tmpdir(), 'inspel-lo-'));
  const base = file.replace(/^.*\//, '').replace(/\.xlsx$/, '');
  let log;
  try {
    log = execFileSync(lo, [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', sub, file],
    { timeout: 120000, encoding: 'utf8' });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const sheets = {};
  for (const m of log.matchAll(/Writing sheet (.+) -> /g)) {
    // LibreOffice ends rows and breaks lines in cells alike with LF: rows as CRLF for parseCsv, cells back to LF.
    const rows = parseCsv(readFileSync(join(sub, `${base}-${m[1]}.csv`), 'utf8').replace(/\r?\n/g, '\r\n'));
    sheets[m[1]] = rows.map((r) => r.map((cell) => cell.replace(/\r\n/g, '\n')));
  }
  return sheets;
}

// The text of a PDF, white space collapsed; `layout` keeps table rows on their lines.
function pdfText(path, layout = false) {
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

test('workshop report: every format from the CLI and the API', async (t) => {
  const server = await startServer();
  const out = mkdtempSync(join(tmpdir(), 'inspel-report-'));
  try {
    const ws = await createWorkshop(server, { title: 'Primärvårdsdialog <Karlstad> & "Öst"', template: 'primarvard' });
    await setOpen(server, ws.questions[0].id, true);
    await setOpen(server, ws.questions[1].id, true);
    await fill(server, ws, TEXTS);
    const [hiddenId] = await fill(server, ws, [HIDDEN]);
    assert.equal((await keyed(server, 'PATCH', `/api/answers/${hiddenId}`, { hidden: true })).status, 200);
    const renamed = await keyed(server, 'POST', `/api/workshops/${ws.id}/decisions`,
      { kind: 'rename', theme: 'kontinuitet', label: 'Kontinuitet & <trygghet>' });
    assert.equal(renamed.status, 201, renamed.text);
    const vote = await keyed(server, 'POST', `/api/workshops/${ws.id}/votes`, { dots: 3 });
    assert.equal(vote.status, 201, vote.text);
    const ballot = await api(server, 'POST', '/api/ballots', {
      body: await withToken(server, { code: ws.code, vote_id: vote.json.id, client_id: 'voterphone01', dots: { kontinuitet: 2, samverkan: 1 } }),
    });
    assert.equal(ballot.status, 201, ballot.text);
    // Renamed after the vote, then merged: samverkan's dot now counts for kontinuitet, marked as cast on
    // the label the voters saw; the merge is named by the label samverkan had when it was merged.
    const renamedAway = await keyed(server, 'POST', `/api/workshops/${ws.id}/decisions`,
      { kind: 'rename', theme: 'samverkan', label: 'Tillgänglighet via telefon' });
    assert.equal(renamedAway.status, 201, renamedAway.text);
    const merged = await keyed(server, 'POST', `/api/workshops/${ws.id}/decisions`, { kind: 'merge', theme: 'samverkan', into: 'kontinuitet' });
    assert.equal(merged.status, 201, merged.text);

    // The CLI, while the server runs on the same database.
    const files = {};
    for (const f of FORMATS) {
      const path = join(out, `r.${f}`);
      const r = report(['--db', server.db, '--workshop', ws.code, '--format', f, '--out', path]);
      assert.equal(r.status, 0, `${f}: ${r.stderr}`);
      files[f] = readFileSync(path);
    }
    assert.deepEqual(readdirSync(out).sort(), FORMATS.map((f) => `r.${f}`).sort(), 'no temporary file is left');

    // JSON: the model; every count is the length of its id list.
    const model = JSON.parse(files.json.toString('utf8'));
    assert.equal(model.format, 'inspel-report');
    assert.equal(model.lang, 'sv');
    assert.equal(model.answers.length, TEXTS.length + 1);
    assert.deepEqual(model.hidden, [hiddenId]);
    assert.equal(model.analysed.length + model.hidden.length, model.answers.length);
    const shown = model.themes.filter((th) => th.answers.length > 0);
    assert.ok(shown.length >= 3, 'several themes');
    for (const th of model.themes) {
      assert.equal(th.size, th.answers.length);
      assert.ok(!th.answers.includes(hiddenId));
      for (const dim of ['question', 'workshop', 'group', 'organisation']) {
        assert.equal(th.by[dim].reduce((n, e) => n + e.answers.length, 0), th.size, `${th.id} by ${dim}`);
      }
      for (const id of th.answers) {
        assert.ok(model.answers.find((a) => a.id === id).themes.includes(th.id));
      }
    }
    const kont = model.themes.find((th) => th.id === 'kontinuitet');
    assert.equal(kont.label, 'Kontinuitet & <trygghet>');
    assert.equal(kont.renamed, true);
    assert.deepEqual(kont.votes.map((v) => [v.theme, v.dots, v.voters]), [['kontinuitet', 2, 1], ['samverkan', 1, 1]]);
    assert.deepEqual(kont.merged, ['samverkan']);
    assert.deepEqual(kont.merged_labels, ['Tillgänglighet via telefon']);
    assert.ok(!model.themes.some((th) => th.id === 'samverkan'));
    assert.deepEqual(model.decisions.map((d) => d.kind), ['rename', 'rename', 'merge']);
    // Decisions name themes by id; the model gives each the label people saw at that point.
    assert.deepEqual(model.decisions.map((d) => d.label_before), ['Kontinuitet', 'Teamsamverkan och samordning', undefined]);
    assert.deepEqual(model.decisions.map((d) => [d.theme_label, d.into_label]), [
      ['Kontinuitet', undefined], ['Teamsamverkan och samordning', undefined],
      ['Tillgänglighet via telefon', 'Kontinuitet & <trygghet>']]);
    for (const id of model.unassigned) assert.equal(model.answers.find((a) => a.id === id).themes.length, 0);

    // HTML: self-contained and escaped.
    const html = files.html.toString('utf8');
    assert.match(html, /^<!DOCTYPE html>\n<html lang="sv">/);
    assert.doesNotMatch(html, /(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    assert.doesNotMatch(html, /url\(\s*["']?\s*(?:https?:)?\/\//i);
    assert.doesNotMatch(html, /<script|<img|<link|@import/i);
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;, &quot;citat&quot;\nny rad =cmd'));
    assert.ok(html.includes('Kontinuitet &amp; &lt;trygghet&gt;'));
    assert.match(html, /1 prick, 1 röstande \(som Teamsamverkan och samordning\)/);
    assert.match(html, /sammanslaget med Tillgänglighet via telefon/);
    assert.doesNotMatch(html, /sammanslaget med samverkan|som samverkan\)/);
    assert.ok(html.includes('Bytte namn på temat Kontinuitet till &quot;Kontinuitet &amp; &lt;trygghet&gt;&quot; —'));
    assert.ok(html.includes('Bytte namn på temat Teamsamverkan och samordning till &quot;Tillgänglighet via telefon&quot; —'));
    assert.ok(html.includes('Slog ihop temat Tillgänglighet via telefon med Kontinuitet &amp; &lt;trygghet&gt; —'));
    assert.doesNotMatch(html, /temat (?:samverkan|kontinuitet)\b/, 'a decision names a theme by its id');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!html.includes(HIDDEN), 'hidden answers are not shown');
    for (const th of shown) assert.ok(html.includes(`(${th.answers.length})`));
    assert.match(html, /<svg/);

    // Markdown: no raw markup from answers.
    const md = files.md.toString('utf8');
    assert.ok(md.includes('&lt;script&gt;alert("x")&lt;/script&gt;'));
    assert.ok(md.includes('\\*fet\\* \\_kursiv\\_ \\[länk\\](javascript:alert(1)) \\# rubrik \\]\\]&gt;'));
    assert.doesNotMatch(md, /<script|<img/);
    assert.ok(md.includes('sammanslaget med Tillgänglighet via telefon'));
    assert.ok(md.includes('Slog ihop temat Tillgänglighet via telefon med Kontinuitet &amp; &lt;trygghet&gt; —'));
    assert.doesNotMatch(md, /temat (?:samverkan|kontinuitet)\b/, 'a decision names a theme by its id');

    // CSV: BOM, CRLF, one row per answer that parses back to the stored text.
    const csvText = files.csv.toString('utf8');
    assert.ok(csvText.startsWith('\uFEFFid,workshop,question,group,organisation,text,themes,theme_ids,hidden\r\n'));
    const rows = parseCsv(csvText.slice(1));
    assert.equal(rows.length, TEXTS.length + 2);
    for (const row of rows) assert.equal(row.length, 9);
    const byText = new Map(rows.slice(1).map((r) => [r[5], r]));
    assert.ok(byText.has(HOSTILE), 'commas, quotes and newlines survive');
    assert.ok(byText.has(BARE_LF), 'a bare line feed stays inside its quoted field');
    assert.throws(() => parseCsv('id,text\r\n1,Första raden\nandra raden\r\n'), /line break outside quotes/);
    assert.ok(byText.has(`'${FORMULA}`), 'formulas are guarded with an apostrophe');
    assert.ok(byText.has("Bra;'=1+1;"), 'each ;-separated piece is guarded');
    assert.ok(csvText.includes(',"Bra;\'=1+1;",'), 'a cell with ; is quoted');
    assert.equal(byText.get(HIDDEN)[8], 'true');
    assert.equal(byText.get(HIDDEN)[6], '');
    assert.equal(byText.get('Kontinuitet.')[8], 'false');
    assert.ok(byText.get('Kontinuitet.')[7].split(' ').includes('kontinuitet'));
    assert.equal(byText.get('Kontinuitet.')[1], ws.title);

    // The API gives the same report (CSV carries no time, so it is byte-identical).
    for (const f of FORMATS) {
      const res = await fetch(`${server.url}/api/workshops/${ws.id}/report?format=${f}`, { headers: { authorization: `Bearer ${server.key}` } });
      assert.equal(res.status, 200, f);
      assert.match(res.headers.get('content-disposition'), new RegExp(`^attachment; filename="inspel-primarvardsdialog-karlstad-ost-\\d{4}-\\d\\d-\\d\\d\\.${f}"$`));
      const body = Buffer.from(await res.arrayBuffer());
      if (f === 'csv') assert.ok(body.equals(files.csv), 'API CSV equals CLI CSV');
      if (f === 'json') {
        const viaApi = JSON.parse(body.toString('utf8'));
        assert.deepEqual(viaApi.themes, model.themes);
        assert.deepEqual(viaApi.answers, model.answers);
      }
      if (f === 'docx' || f === 'xlsx') assert.equal(body.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
      if (f === 'xlsx') assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    }
    const en = await fetch(`${server.url}/api/workshops/${ws.id}/report?format=html&lang=en`, { headers: { authorization: `Bearer ${server.key}` } });
    assert.match(await en.text(), /<html lang="en">[\s\S]*>Themes<\/h2>/);
    assert.equal((await keyed(server, 'GET', `/api/workshops/${ws.id}/report?format=pdf`)).status, 400);
    assert.equal((await keyed(server, 'GET', `/api/workshops/${ws.id}/report?lang=de`)).status, 400);
    assert.equal((await api(server, 'GET', `/api/workshops/${ws.id}/report`)).status, 401);

    // DOCX: LibreOffice opens it and the PDF has the themes and a quote.
    const lo = libreoffice();
    if (!lo || spawnSync('pdftotext', ['-v']).error) {
      t.diagnostic('libreoffice or pdftotext missing: DOCX and XLSX conversion not checked');
    } else {
      const pdfFile = convert(lo, join(out, 'r.docx'), 'pdf', out);
      const pdf = pdfText(pdfFile);
      const rows = pdfText(pdfFile, true);
      for (const th of shown) assert.ok(pdf.includes(th.label), `PDF has theme ${th.label}`);
      const quote = model.answers.find((a) => a.id === kont.quotes[0]).text;
      assert.ok(pdf.includes(quote), `PDF has the quote ${quote}`);
      assert.ok(pdf.includes('<script>alert("x")</script>'), 'hostile text is text in Word');
      assert.ok(!pdf.includes(HIDDEN));
      assert.ok(pdf.includes('Slog ihop temat Tillgänglighet via telefon med Kontinuitet & <trygghet>'), 'the merge is named by labels');
      // Column widths fit their words: no header broken inside a word; the summary has the dots.
      assert.match(pdf, / Organisation /, 'the answer tables have whole headers');
      assert.doesNotMatch(pdf, /Organisatio n|Organisati on/);
      assert.ok(rows.includes('Tema Svar som huvudtema Prickar'), 'the summary has a dots column');
      assert.ok(rows.includes(`${kont.label} ${kont.answers.length} ${kont.primary_answers.length} 3`), 'the dots of Kontinuitet');

      // XLSX: every sheet as LibreOffice reads it (one CSV per sheet, named by the sheet).
      const sheets = sheetsOf(lo, join(out, 'r.xlsx'), out);
      assert.deepEqual(Object.keys(sheets), ['Teman', 'Svar', 'Tema per fråga', 'Tema per bord', 'Tema per organisation', 'Röstning']);
      assert.deepEqual(sheets.Teman[0].slice(0, 4), ['Tema', 'Svar', 'som huvudtema', 'Prickar']);
      for (const th of model.themes) {
        const row = sheets.Teman.find((r) => r[0] === th.label);
        assert.ok(row, `the themes sheet has ${th.label}`);
        assert.deepEqual(row.slice(1, 3).map(Number), [th.answers.length, th.primary_answers.length]);
      }
      // The answers: hidden ones left out; every text exactly as written, a formula too (a string, never run).
      const svar = sheets.Svar;
      assert.deepEqual(svar[0].slice(0, 6), ['Id', 'Fråga', 'Bord', 'Organisation', 'Svar', 'Teman']);
      assert.equal(svar.length, model.analysed.length + 1);
      const texts = svar.slice(1).map((r) => r[4]);
      for (const text of [FORMULA, HOSTILE, PIECES, TEXTS[0]]) assert.ok(texts.includes(text), `the answers sheet has ${text}`);
      assert.ok(!texts.includes(HIDDEN), 'hidden answers are in no document');
      // Theme x question: one column per question, each cell the count of that theme's answers to it.
      const byq = sheets['Tema per fråga'];
      assert.deepEqual(byq[0], ['Tema', ...model.questions.map((q) => q.text), 'Totalt']);
      for (const th of shown) {
        const row = byq.find((r) => r[0] === th.label);
        const counts = model.questions.map((q) => (th.by.question.find((e) => e.value === q.id) || { answers: [] }).answers.length);
        assert.deepEqual(row.slice(1).map(Number), [...counts, th.answers.length], `row of ${th.label}`);
      }
      assert.equal(byq[byq.length - 1][0], 'Analyserade svar');
      assert.ok(sheets['Röstning'].some((r) => r[5] === kont.label && r[6] === '2'), 'the vote results');
      const book = pdfText(convert(lo, join(out, 'r.xlsx'), 'pdf', out));
      assert.ok(book.includes(kont.label), 'LibreOffice prints the workbook');
      assert.ok(!book.includes(HIDDEN));
    }
  } finally {
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0, 'the server exits cleanly (no leak under ASan)');
    rmSync(out, { recursive: true, force: true });
  }
});

test('series report: theme x workshop and theme x organisation', async () => {
  const server = await startServer();
  try {
    const series = await keyed(server, 'POST', '/api/series', { title: 'Primärvårdsdialoger Värmland 2026' });
    assert.equal(series.status, 201, series.text);
    const sid = series.json.id;
    const a = await createWorkshop(server, { title: 'Karlstad', template: 'primarvard' });
    const b = await createWorkshop(server, { title: 'Arvika', template: 'primarvard' });
    for (const ws of [a, b]) {
      assert.equal((await keyed(server, 'PATCH', `/api/workshops/${ws.id}`, { series: sid })).status, 200);
      await setOpen(server, ws.questions[0].id, true);
      await setOpen(server, ws.questions[1].id, true);
    }
    await fill(server, a, TEXTS.slice(0, 8));
    await fill(server, b, TEXTS.slice(3, 12));
    const out = mkdtempSync(join(tmpdir(), 'inspel-series-'));
    try {
      const files = {};
      for (const f of ['html', 'md', 'json', 'csv', 'docx']) {
        const r = report(['--db', server.db, '--series', sid, '--format', f, '--out', join(out, `s.${f}`)]);
        assert.equal(r.status, 0, r.stderr);
        files[f] = readFileSync(join(out, `s.${f}`), 'utf8');
      }
      const model = JSON.parse(files.json);
      assert.equal(model.scope.kind, 'series');
      assert.deepEqual(model.workshops.map((w) => w.title), ['Karlstad', 'Arvika']);
      assert.equal(model.answers.length, 8 + 9);
      assert.ok(files.html.includes('id="by-workshop"'));
      assert.ok(files.html.includes('id="by-organisation"'));
      assert.match(files.md, /## Tema per workshop\n\n\| Tema \| Karlstad \| Arvika \| Totalt \|/);
      assert.match(files.md, /## Tema per organisation/);
      // Each cell of the theme x workshop table is the count of that theme's answers from that workshop.
      for (const th of model.themes.filter((x) => x.answers.length)) {
        const counts = model.workshops.map((w) => th.answers.filter((id) => model.answers.find((x) => x.id === id).workshop_id === w.id).length);
        const label = th.label.replace(/[\\`*_[\]#|~!]/g, (c) => `\\${c}`).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        assert.ok(files.md.includes(`| ${label} | ${counts.join(' | ')} | ${th.answers.length} |`), `row of ${th.label}`);
      }
      const rows = parseCsv(files.csv.slice(1));
      assert.equal(rows.length, model.answers.length + 1, 'a header and one row per answer');
      for (const row of rows) assert.equal(row.length, 9);
      assert.deepEqual(new Set(rows.slice(1).map((r) => r[1])), new Set(['Karlstad', 'Arvika']));
      const viaApi = await keyed(server, 'GET', `/api/series/${sid}/report?format=json`);
      assert.equal(viaApi.status, 200);
      assert.deepEqual(viaApi.json.themes, model.themes);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  } finally {
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0, 'the server exits cleanly (no leak under ASan)');
  }
});

test('times in the workshop zone, an undo says what it took back, one table written two ways', async () => {
  const server = await startServer();
  try {
    const ws = await createWorkshop(server);
    await setOpen(server, ws.questions[0].id, true);
    await setOpen(server, ws.questions[1].id, true);
    const ids = await fill(server, ws, ['Kontinuitet.', 'Fast läkarkontakt och samma sköterska', 'Digitala vårdmöten och AI']);
    // Table names as phones type them: stored tidied ("bord 7 " -> "Bord 7"), grouped by their key in the report.
    const typed = [];
    for (const group of [' bord   7 ', 'BORD 7', 'Bord 7']) {
      const res = await answer(server, ws, { text: 'Kontinuitet med samma läkare', group });
      assert.equal(res.status, 201, res.text);
      typed.push(res.json.group);
    }
    assert.deepEqual(typed, ['Bord 7', 'BORD 7', 'Bord 7']);
    const moved = await keyed(server, 'POST', `/api/workshops/${ws.id}/decisions`, { kind: 'move', answer: ids[0], to: 'digitalisering' });
    assert.equal(moved.status, 201, moved.text);
    const undo = await keyed(server, 'POST', `/api/workshops/${ws.id}/decisions`, { kind: 'undo', decision: moved.json.decisions[0].id });
    assert.equal(undo.status, 201, undo.text);

    const html = (await fetch(`${server.url}/api/workshops/${ws.id}/report?format=html`, { headers: { authorization: `Bearer ${server.key}` } })).text();
    const text = (await html).replace(/<[^>]*>/g, '');
    // Swedish time (CET or CEST), with seconds in the decision log; never UTC.
    assert.match(text, /Rapporten skapad \d{4}-\d\d-\d\d \d\d:\d\d CES?T/);
    assert.doesNotMatch(text, /\d\d:\d\d(:\d\d)? UTC/);
    assert.match(text, /Flyttade svar ”Kontinuitet\.” till temat Digitalisering — \d{4}-\d\d-\d\d \d\d:\d\d:\d\d CES?T, av /);
    assert.match(text, /Ångrade: Flyttade svar ”Kontinuitet\.” till temat Digitalisering — /);
    assert.doesNotMatch(text, /Ångrade beslut|Flyttade svar \d/);

    const model = (await keyed(server, 'GET', `/api/workshops/${ws.id}/report?format=json`)).json;
    assert.equal(model.tz, 'Europe/Stockholm');
    for (const th of model.themes) {
      const tables = th.by.group.map((e) => e.value);
      assert.equal(new Set(tables.map((v) => (v || '').toLowerCase())).size, tables.length, `${th.id}: one entry per table`);
      assert.ok(!tables.includes('BORD 7'), 'a table is shown as first written');
    }
    const kont = model.themes.find((th) => th.id === 'kontinuitet');
    assert.equal(kont.by.group.find((e) => e.value === 'Bord 7').answers.length, 3);

    // --tz: UTC when asked; a zone the tz database lacks is a usage error.
    let r = report(['--db', server.db, '--workshop', ws.code, '--format', 'md', '--tz', 'UTC']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Rapporten skapad \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    r = report(['--db', server.db, '--workshop', ws.code, '--format', 'md', '--tz', 'Mars/Olympus']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--tz must be a time zone/);
  } finally {
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0, 'the server exits cleanly (no leak under ASan)');
  }
});

test('inspel report: usage errors exit 2, unknown scopes exit 1', async () => {
  const server = await startServer();
  try {
    const ws = await createWorkshop(server);
    let r = report(['--db', server.db, '--format', 'html']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /exactly one of --workshop CODE and --series ID/);
    r = report(['--db', server.db, '--workshop', ws.code, '--format', 'pdf']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--format must be/);
    r = report(['--db', server.db, '--workshop', ws.code, '--format', 'html', '--lang', 'de']);
    assert.equal(r.status, 2);
    r = report(['--db', server.db, '--workshop', ws.code, '--bogus']);
    assert.equal(r.status, 2);
    r = report(['--db', server.db, '--workshop', 'ZZZZZZ', '--format', 'html']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no workshop with join code 'ZZZZZZ'/);
    r = report(['--db', server.db, '--series', 'nosuchseries0000', '--format', 'md']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no series 'nosuchseries0000'/);
    r = report(['--db', join(server.dir, 'missing.db'), '--workshop', ws.code, '--format', 'md']);
    assert.equal(r.status, 1);
    assert.ok(!existsSync(join(server.dir, 'missing.db')), 'a missing database is not created');
    r = report(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /usage: inspel report/);
    r = report(['--db', server.db, '--workshop', ws.code.toLowerCase(), '--format', 'md', '--out', '-']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^# Inspel från dialog: Primärvårdsdialog Test/);
  } finally {
    const { code } = await server.stop();
    server.cleanup();
    assert.equal(code, 0, 'the server exits cleanly (no leak under ASan)');
  }
});
