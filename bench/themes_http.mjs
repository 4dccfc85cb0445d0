// themes_http.mjs - how fast the live themes are end to end through a running
// server (driven by bench/themes.sh, which starts the server).
//
//   node bench/themes_http.mjs URL KEY TEXTS [ANSWERS] [REPEATS]
//
// Loads ANSWERS answers sampled with a fixed seed from TEXTS (one answer
// per line) into a new workshop through POST /api/answers, then times,
// REPEATS times each, with only fetch and a streaming reader:
//   a. GET .../themes right after one new answer (re-analysis + full view),
//   b. the same with 20 decisions recorded,
//   c. POST /api/answers 201 to the presenter's SSE `themes` event that
//      counts the answer (with the decisions), in a quiet room (1.7 s since
//      the last event) and posted as the previous event arrives (the 1.5 s
//      throttle then decides),
//   d. GET .../themes with nothing changed (cached result, JSON only).
// Prints median and p90 in ms; figures are printed, never asserted, but a
// request that fails (wrong status, answer missing) stops the run.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [url, key, textsFile, nArg, repArg] = process.argv.slice(2);
const N = Number(nArg || 5000);
const REPEATS = Number(repArg || 10);
const QUIET_MS = 1700;  // longer than the server's 1.5 s themes throttle
const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

function die(msg) { console.error(`themes_http.mjs: ${msg}`); process.exit(1); }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(method, path, body, want) {
  const res = await fetch(url + path, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (want !== undefined && res.status !== want) die(`${method} ${path} -> ${res.status} ${text.slice(0, 300)}`);
  return { status: res.status, text, json: text ? JSON.parse(text) : null };
}

// Fixed-seed sample with replacement (a 32-bit LCG: the same answers every run).
const lines = readFileSync(textsFile, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
let seed = 42;
const rand = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32; };
const orgs = ['Region', 'Kommun', 'Skola', 'Privat vårdgivare'];

const ws = (await call('POST', '/api/workshops', { title: 'Temamätning', template: 'primarvard' }, 201)).json;
const questions = ws.questions.slice(0, 4).map((q) => q.id);
for (const q of questions) await call('PATCH', `/api/questions/${q}`, { open: true }, 200);

let posted = 0;
async function postAnswer() {
  const i = posted++;
  const body = {
    code: ws.code, question_id: questions[i % questions.length], answer_id: `bench-${String(i).padStart(6, '0')}`,
    text: lines[Math.floor(rand() * lines.length)], group: `Bord ${(i % 12) + 1}`, organisation: orgs[i % 4],
    client_id: `benchphone${i % 500}`,
  };
  const res = await fetch(`${url}/api/answers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 201) die(`POST /api/answers -> ${res.status} ${text.slice(0, 300)}`);
  return posted;
}

let t = performance.now();
await Promise.all(Array.from({ length: 32 }, async () => { while (posted < N) await postAnswer(); }));
const loadS = (performance.now() - t) / 1000;

const themesPath = `/api/workshops/${ws.id}/themes`;
// Timed to the last byte of the view; parsing it here is not counted.
async function getThemes() {
  const t0 = performance.now();
  const res = await fetch(url + themesPath, { headers: auth });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) die(`GET ${themesPath} -> ${res.status} ${text.slice(0, 300)}`);
  return { ms, view: JSON.parse(text), bytes: Buffer.byteLength(text) };
}

// One new answer, then the full view; the view must include it.
async function afterAnswer() {
  const n = await postAnswer();
  const g = await getThemes();
  if (g.view.total !== n) die(`view total ${g.view.total}, expected ${n}`);
  return g;
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, p90: s[Math.max(0, Math.ceil(0.9 * s.length) - 1)], min: s[0], max: s[s.length - 1] };
}

const first = await getThemes();

const a = [];
let aView;
for (let i = 0; i < REPEATS; i++) { const g = await afterAnswer(); a.push(g.ms); aView = g; }

const d = [];
for (let i = 0; i < REPEATS; i++) {
  const g = await getThemes();
  if (g.view.rev !== aView.view.rev) die(`rev changed with nothing new (${aView.view.rev} -> ${g.view.rev})`);
  d.push(g.ms);
}

// --- b. 20 decisions: renames, merges, a split, moves, alsos.  Each is
// chosen from a fresh view (a decision on a discovered theme carries its rev).
const kinds = [];
async function decide(pick) {
  const view = (await getThemes()).view;
  const body = pick(view);
  if (!body) die(`no theme or answer to make decision ${kinds.length + 1} on`);
  body.rev = view.rev;
  await call('POST', `/api/workshops/${ws.id}/decisions`, body, 201);
  kinds.push(body.kind);
}
const of = (view, origin) => view.themes.filter((th) => th.origin === origin);
const withAnswers = (view) => view.themes.filter((th) => th.size > 0);
for (let i = 0; i < 4; i++)
  await decide((v) => { const th = of(v, 'discovered')[0]; return th && { kind: 'rename', theme: th.id, label: `Upptäckt tema ${i + 1}` }; });
for (let i = 0; i < 3; i++)
  await decide((v) => { const th = of(v, 'given')[i]; return th && { kind: 'rename', theme: th.id, label: `Givet tema ${i + 1}` }; });
await decide((v) => { const [x, y] = of(v, 'discovered'); return y && { kind: 'merge', theme: y.id, into: x.id }; });
await decide((v) => { const x = of(v, 'discovered')[0], y = of(v, 'curated')[0]; return x && y && { kind: 'merge', theme: x.id, into: y.id }; });
await decide((v) => { const g = of(v, 'given'); return g.length > 4 && { kind: 'merge', theme: g[4].id, into: g[3].id }; });
await decide((v) => {
  const th = v.themes.find((x) => x.origin !== 'given' && x.size > 1 && x.terms.length > 1);
  return th && { kind: 'split', theme: th.id, term: th.terms[1], label: `Delat: ${th.terms[1]}` };
});
for (let i = 0; i < 6; i++)
  await decide((v) => {
    const ans = v.answers.filter((x) => x.themes.length > 0)[i * 7];
    const to = withAnswers(v).find((th) => !ans?.themes.includes(th.id));
    if (!ans || !to) return null;
    return i === 5 ? { kind: 'move', answer: ans.id, to: null } : i % 2 ? { kind: 'move', answer: ans.id, from: ans.themes[0], to: to.id } : { kind: 'move', answer: ans.id, to: to.id };
  });
for (let i = 0; i < 3; i++)
  await decide((v) => {
    const ans = v.answers.filter((x) => x.themes.length > 0)[100 + i * 11];
    const th = ans && v.themes.find((x) => x.size > 0 && !ans.themes.includes(x.id));
    return th && { kind: 'also', answer: ans.id, theme: th.id };
  });
const recorded = (await call('GET', `/api/workshops/${ws.id}/decisions`, undefined, 200)).json.decisions.length;

const b = [];
let bView;
for (let i = 0; i < REPEATS; i++) { const g = await afterAnswer(); b.push(g.ms); bView = g; }
const bd = [];
for (let i = 0; i < REPEATS; i++) bd.push((await getThemes()).ms);

// --- c. the presenter's stream: POST 201 -> `themes` event with the answer
// (last, so no presenter stream is open while a, b and d run).
const ctrl = new AbortController();
const sse = await fetch(`${url}/api/workshops/${ws.id}/events?answers=1`, { signal: ctrl.signal });
if (sse.status !== 200) die(`events -> ${sse.status}`);
const waiters = [];  // {total, resolve}: resolved by the first themes event with that total
(async () => {
  const reader = sse.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let cut;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const ev = /^event: (.*)$/m.exec(frame)?.[1];
        if (ev !== 'themes') continue;
        const at = performance.now();
        const data = JSON.parse(frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n'));
        for (let i = waiters.length - 1; i >= 0; i--)
          if (data && data.total >= waiters[i].total) { waiters[i].resolve(at); waiters.splice(i, 1); }
      }
    }
  } catch { /* aborted at the end */ }
})();
const themesWith = (total) => new Promise((resolve, reject) => {
  waiters.push({ total, resolve });
  setTimeout(() => reject(new Error(`no themes event with total ${total} within 10 s`)), 10000).unref();
});

// ms from the 201 to the first summary that counts the answer.
async function liveOnce() {
  const n = await postAnswer();
  const acked = performance.now();
  const at = await themesWith(n).catch((e) => die(e.message));
  return at - acked;
}
await sleep(QUIET_MS);  // the first summary after connecting
const cQuiet = [];
for (let i = 0; i < REPEATS; i++) { await sleep(QUIET_MS); cQuiet.push(await liveOnce()); }
const cBusy = [];
// Back to back: each answer is posted the moment the previous one's summary arrives.
for (let i = 0; i < REPEATS; i++) cBusy.push(await liveOnce());
ctrl.abort();

// --- report
const count = (k) => kinds.filter((x) => x === k).length;
const f = (ms) => ms.toFixed(0).padStart(6);
const row = (label, xs) => { const s = stats(xs); console.log(`${label.padEnd(58)}${f(s.median)}${f(s.p90)}${f(s.min)}${f(s.max)}`); return s; };
console.log(`loaded ${N} answers through POST /api/answers in ${loadS.toFixed(1)} s (${(N / loadS).toFixed(0)}/s, 32 at a time); ` +
  `first analysis + view ${first.ms.toFixed(0)} ms: ${first.view.themes.length} themes`);
console.log(`decisions: ${kinds.length} made (${count('rename')} rename, ${count('merge')} merge, ${count('split')} split, ` +
  `${count('move')} move, ${count('also')} also), ${recorded} recorded (adoptions of discovered themes included)`);
console.log(`full view: ${(aView.bytes / 1024).toFixed(0)} KiB, ${aView.view.themes.length} themes; with decisions ` +
  `${(bView.bytes / 1024).toFixed(0)} KiB, ${bView.view.themes.length} themes; ${REPEATS} repeats each, ms:`);
console.log(`${''.padEnd(58)}${'median'.padStart(6)}${'p90'.padStart(6)}${'min'.padStart(6)}${'max'.padStart(6)}`);
const sa = row(`a. GET themes after 1 new answer, no decisions`, a);
const sb = row(`b. GET themes after 1 new answer, ${recorded} decisions`, b);
row(`c. POST 201 -> presenter's themes event, quiet room`, cQuiet);
row(`   the same, posted as the previous themes event arrives`, cBusy);
row(`d. GET themes, nothing changed (cached), no decisions`, d);
row(`   GET themes, nothing changed (cached), with decisions`, bd);
console.log(`ratio b/a (median): ${(sb.median / sa.median).toFixed(2)}`);
process.exit(0);
