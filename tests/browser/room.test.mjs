// Browser test of a workshop day in the room, from a tester's issue: the
// projector at 1920×1080 with long answers on its wall, the join address
// and QR code a phone can reach, phones at 360×640 (long answers, drafts,
// closed questions, the vote card), the console's Move tool, and singular
// and plural counts in both languages.
//
// Design: one server bound to 0.0.0.0 with --demo (themes and answers for
// the console, a vote for the phone) and a second workshop of the test's
// own for the wall, so the wall holds exactly the answers posted here.
// Every request goes to the loopback address; the LAN address the server
// picks is only compared, never contacted.  Each step is the next moment
// of the same day; every page records console errors, uncaught exceptions
// and CSP violations, and the last test asserts there were none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { launchChromium, WatchedPages, mark, assertNotReloaded } from '../lib/browser.mjs';
import { startServer, api, presenterUrl, stopServers } from '../lib/server.mjs';

const ARTIFACTS = 'tests/artifacts';
const WAIT = { timeout: 10000 };
const PROJECTOR = { width: 1920, height: 1080 };
const PHONE = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const SENTENCE = 'Vårdcentralen behöver fast läkarkontakt för äldre med flera diagnoser, ';
const LONG_850 = `${SENTENCE.repeat(12)}och hemsjukvården måste hänga ihop.`.slice(0, 850);
const LONG_1000 = `Kommunen och regionen ${SENTENCE.repeat(14)}`.slice(0, 999).trimEnd() + '.';

let server;
let loopbackServer;
let browser;
let pages;
let demo; // the demo workshop (facilitator object)
let ws; // the test's own workshop
let q1;
let q2;
let present;
let phone;
let phoneCtx;
let consolePage;
let posted = 0;

const card = (page, q) => page.locator(`article[data-question-id="${q.id}"]`);

// The IPv4 addresses of this machine other than loopback: the ones a phone could use.
function lanAddresses() {
  return Object.values(networkInterfaces()).flat().filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.address);
}

async function post(text, question = q1) {
  posted += 1;
  const r = await api(server, 'POST', '/api/answers', {
    body: { code: ws.code, question_id: question.id, answer_id: `room-test-${posted}`, text, client_id: `room-phone-${posted}` },
  });
  assert.equal(r.status, 201, r.text);
}

async function setOpen(question, open) {
  const r = await api(server, 'PATCH', `/api/questions/${question.id}`, { key: server.key, body: { open } });
  assert.equal(r.status, 200, r.text);
}

// The demo workshop's id, from the block serve --demo prints.
async function demoId(s) {
  for (let i = 0; i < 150; i++) {
    const m = /\/present\/([a-z2-7]{16})/.exec(s.output().stdout);
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no demo block:\n${s.output().stdout}`);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer({ args: ['--bind', '0.0.0.0', '--demo'] });
  // Bound to every interface; the test itself only ever talks to loopback.
  server.url = server.url.replace('//0.0.0.0:', '//127.0.0.1:');
  const id = await demoId(server);
  demo = (await api(server, 'GET', `/api/workshops/${id}`, { key: server.key })).json;
  const created = await api(server, 'POST', '/api/workshops', {
    key: server.key, body: { title: 'Dialog Kil', template: 'primarvard' },
  });
  assert.equal(created.status, 201, created.text);
  ws = created.json;
  [q1, q2] = ws.questions;
  await setOpen(q1, true);
  browser = await launchChromium();
  pages = new WatchedPages(browser);
});

after(async () => {
  if (browser) await browser.close();
  await stopServers(server, loopbackServer);
});

test('the projector and the console show the join address phones can reach, not the browser\'s', async () => {
  const lan = lanAddresses();
  const port = new URL(server.url).port;
  ({ page: present } = await pages.newPage({ viewport: PROJECTOR }, 'present'));
  await present.goto(await presenterUrl(server, ws.id));
  await present.locator('#join-code').filter({ hasText: ws.code }).waitFor(WAIT);
  const shown = await present.locator('#join-url').textContent();
  if (lan.length) {
    const m = /^([\d.]+):(\d+)\/j\/([A-Z0-9]{6})$/.exec(shown);
    assert.ok(m, `the projector shows ${shown}`);
    assert.ok(lan.includes(m[1]), `${m[1]} is not a LAN address of this machine (${lan})`);
    assert.deepEqual([m[2], m[3]], [port, ws.code]);
  } else {
    assert.equal(shown, `127.0.0.1:${port}/j/${ws.code}`);
  }
  await mark(present);

  ({ page: consolePage } = await pages.newPage({ viewport: { width: 1280, height: 900 } }, 'console'));
  await consolePage.goto(`${server.url}/console#/w/${ws.id}`);
  await consolePage.getByLabel('Processledarnyckel').fill(server.key);
  await consolePage.getByRole('button', { name: 'Logga in' }).click();
  await consolePage.getByRole('heading', { level: 1, name: ws.title }).waitFor(WAIT);
  assert.equal(await consolePage.locator('#ws-join-url').textContent(), `http://${shown}`);
  assert.equal(await consolePage.locator('#join-warning').isVisible(), lan.length === 0);
});

test('a console opened on loopback whose join address is loopback too warns, visibly', async () => {
  loopbackServer = await startServer();
  const other = await api(loopbackServer, 'POST', '/api/workshops', {
    key: loopbackServer.key, body: { title: 'Dialog Grums', template: 'primarvard' },
  });
  const { page, ctx } = await pages.newPage({ viewport: { width: 1280, height: 900 } }, 'console-loopback');
  await page.goto(`${loopbackServer.url}/console#/w/${other.json.id}`);
  await page.getByLabel('Processledarnyckel').fill(loopbackServer.key);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dialog Grums' }).waitFor(WAIT);
  const warning = page.locator('#join-warning');
  await warning.waitFor(WAIT);
  assert.match(await warning.textContent(), /telefoner/i);
  assert.match(await warning.textContent(), /--public-url/);
  await page.screenshot({ path: `${ARTIFACTS}/console-loopback-warning.png` });
  await ctx.close();
});

test('a long answer on the projector is clamped and never hides the others', async () => {
  await post('Kontinuitet.');
  await post('Fler distriktssköterskor på landsbygden.');
  await post(LONG_850);
  await present.locator('#count').filter({ hasText: /^3$/ }).waitFor(WAIT);
  const wall = present.locator('#wall li');
  await wall.nth(2).waitFor(WAIT);
  // The clamp may sit on the item or on the text inside it.
  const boxes = async () => present.locator('#wall li').evaluateAll((lis) => lis.map((li) => {
    const text = li.querySelector('.wall-text') || li;
    return {
      hidden: li.hidden, height: li.getBoundingClientRect().height, clamped: text.scrollHeight > text.clientHeight + 1,
      clamp: getComputedStyle(text).webkitLineClamp, bottom: li.getBoundingClientRect().bottom,
    };
  }));
  let items = await boxes();
  assert.equal(items.length, 3);
  for (const [i, b] of items.entries()) assert.ok(!b.hidden && b.height > 0, `wall item ${i} is not shown: ${JSON.stringify(b)}`);
  assert.ok(items[0].clamped, 'the long answer is not clamped');
  assert.notEqual(items[0].clamp, 'none');
  const wallBottom = await present.locator('#wall').evaluate((ul) => ul.getBoundingClientRect().bottom);
  for (const b of items) assert.ok(b.bottom <= wallBottom + 1, 'an answer runs past the wall');

  await post(LONG_1000);
  await present.locator('#count').filter({ hasText: /^4$/ }).waitFor(WAIT);
  await wall.nth(3).waitFor(WAIT);
  items = await boxes();
  for (const [i, b] of items.entries()) assert.ok(!b.hidden && b.height > 0, `wall item ${i} is not shown after 1000 characters`);
  await assertNotReloaded(present);
  await present.waitForTimeout(1300); // the arrival highlight fades
  await present.screenshot({ path: `${ARTIFACTS}/present-1920x1080-long.png` });
});

test('the projector shows many answers at 1920×1080 and a Live label the back row can read', async (t) => {
  const texts = [
    'Samverkan mellan kommun och region kring hemsjukvården',
    'Läkarkontinuitet för multisjuka äldre',
    'Digitala vårdbesök för dem som bor långt bort',
    'Bättre telefontillgänglighet på morgonen',
    'Rehabilitering nära hemmet efter sjukhusvistelse',
    'Psykisk ohälsa bland unga behöver mer resurser',
    'Mobila team som åker hem till patienterna',
    'Gemensam journal mellan huvudmännen',
    'Kortare väntetider till fysioterapeut',
    'Fler vårdplatser i kommunens korttidsboende',
    'Förebyggande hembesök hos alla över 75',
    'Tolk på plats i stället för via telefon',
  ];
  for (const text of texts) await post(text);
  await present.locator('#count').filter({ hasText: /^16$/ }).waitFor(WAIT);
  await present.waitForFunction(() => document.querySelectorAll('#wall li').length === 16);
  const visible = await present.locator('#wall li').evaluateAll((lis) => lis.filter((li) => !li.hidden && li.offsetHeight > 0).length);
  t.diagnostic(`${visible} of 16 answers on the wall at 1920×1080`);
  assert.ok(visible >= 12, `only ${visible} answers fit on the wall`);

  const live = present.locator('#link-state');
  await live.filter({ hasText: 'Live' }).waitFor(WAIT);
  const style = await live.evaluate((node) => {
    const s = getComputedStyle(node);
    return { size: parseFloat(s.fontSize), weight: Number(s.fontWeight) };
  });
  assert.ok(style.size >= 0.025 * PROJECTOR.height, `the Live label is ${style.size}px`);
  assert.ok(style.weight >= 600, `the Live label has weight ${style.weight}`);
  await present.waitForTimeout(1300); // the arrival highlight fades
  await present.screenshot({ path: `${ARTIFACTS}/present-1920x1080.png` });
});

test('a phone at 360×640 has the answer box above the fold', async () => {
  ({ ctx: phoneCtx, page: phone } = await pages.newPage(PHONE, 'phone'));
  await phone.goto(`${server.url}/j/${ws.code}`);
  const box = card(phone, q1).getByLabel('Ditt svar');
  await box.waitFor(WAIT);
  const rect = await box.boundingBox();
  await phone.screenshot({ path: `${ARTIFACTS}/phone-360x640.png` });
  assert.ok(rect.y + rect.height <= PHONE.viewport.height, `the answer box ends at ${rect.y + rect.height}px`);
  await mark(phone);
});

test('a long answer on the phone is counted and refused visibly, never cut', async () => {
  const q = card(phone, q1);
  const box = q.getByLabel('Ditt svar');
  const send = q.getByRole('button', { name: 'Skicka' });
  const counter = q.locator('.char-count');
  await box.fill('Kort svar.');
  assert.ok(await counter.isHidden(), 'the counter shows far from the limit');
  await box.fill(LONG_850.slice(0, 820));
  await counter.filter({ hasText: /^820 \/ 1\s?000 tecken$/ }).waitFor(WAIT);
  assert.ok(await send.isEnabled());

  const tooLong = `${LONG_1000} Och en mening till som går över gränsen.`;
  await box.fill(tooLong);
  assert.equal((await box.inputValue()).length, tooLong.length, 'the text was cut');
  const over = tooLong.trim().length - 1000;
  await counter.filter({ hasText: new RegExp(`^1\\s?0\\d\\d / 1\\s?000 tecken – ${over} för mycket$`) }).waitFor(WAIT);
  assert.ok(await send.isDisabled(), 'the send button stays enabled over the limit');
  assert.match(await q.locator('.error').textContent(), /högst 1\s?000 tecken/);
  assert.equal(await box.getAttribute('aria-invalid'), 'true');
  await phone.screenshot({ path: `${ARTIFACTS}/phone-too-long.png`, fullPage: true });

  await box.fill(tooLong.slice(0, 1000));
  assert.ok(await send.isEnabled(), 'the send button stays disabled at the limit');
  assert.equal(await q.locator('.error').textContent(), '');
  await box.fill('');
});

test('a typed draft survives a reload, per question, and goes when the answer is acknowledged', async () => {
  await setOpen(q2, true);
  const draft1 = 'Ett halvskrivet svar om kontinuitet';
  const draft2 = 'Och ett annat om tillgänglighet';
  await card(phone, q2).waitFor(WAIT);
  await card(phone, q1).getByLabel('Ditt svar').fill(draft1);
  await card(phone, q2).getByLabel('Ditt svar').fill(draft2);
  await phone.reload();
  await card(phone, q2).waitFor(WAIT);
  assert.equal(await card(phone, q1).getByLabel('Ditt svar').inputValue(), draft1);
  assert.equal(await card(phone, q2).getByLabel('Ditt svar').inputValue(), draft2);
  const key = (q) => `inspel.draft.${ws.id}.${q.id}`;
  assert.ok(await phone.evaluate((k) => localStorage.getItem(k), key(q1)), 'no stored draft');

  await card(phone, q1).getByRole('button', { name: 'Skicka' }).click();
  await card(phone, q1).locator('li.own-answer').filter({ hasText: draft1 }).locator('.own-status')
    .filter({ hasText: 'Skickat' }).waitFor(WAIT);
  await phone.waitForFunction((k) => localStorage.getItem(k) === null, key(q1), WAIT);
  await phone.reload();
  await card(phone, q2).waitFor(WAIT);
  assert.equal(await card(phone, q1).getByLabel('Ditt svar').inputValue(), '');
  assert.equal(await card(phone, q2).getByLabel('Ditt svar').inputValue(), draft2);
  await card(phone, q2).getByLabel('Ditt svar').fill('');
  await mark(phone);
});

test('a closed question collapses on the phone, and the open one stays above the fold', async () => {
  await setOpen(q1, false);
  const closed = card(phone, q1);
  await closed.locator('.badge').filter({ hasText: 'Stängd' }).waitFor(WAIT);
  assert.ok(await closed.locator('form').isHidden(), 'the closed question still shows its answer form');
  assert.ok(await closed.getByLabel('Ditt svar').isDisabled());
  assert.match(await closed.textContent(), /Frågan är stängd/);
  const own = closed.locator('details.own-details');
  assert.equal(await own.getAttribute('open'), null, 'the own answers of a closed question are not collapsed');
  assert.match(await own.locator('summary').textContent(), /Dina svar \(1\)/);
  const height = (await closed.boundingBox()).height;
  assert.ok(height < 260, `the closed question is ${height}px tall`);
  const rect = await card(phone, q2).getByLabel('Ditt svar').boundingBox();
  assert.ok(rect.y + rect.height <= PHONE.viewport.height, `the open answer box ends at ${rect.y + rect.height}px`);
  await assertNotReloaded(phone);
  await phone.screenshot({ path: `${ARTIFACTS}/phone-360x640-closed.png`, fullPage: true });
});

test('the phone\'s vote card shrinks to a thank-you after voting', async () => {
  const opened = await api(server, 'POST', `/api/workshops/${demo.id}/votes`, { key: server.key, body: { dots: 1 } });
  assert.equal(opened.status, 201, opened.text);
  await phone.goto(`${server.url}/j/${demo.code}`);
  const vote = phone.locator('#vote-card');
  await vote.waitFor(WAIT);
  assert.equal(await vote.locator('#vote-intro').textContent(), 'Lägg 1 prick på det tema du tycker är viktigast.');
  await vote.getByRole('button', { name: /^Lägg en prick på / }).first().click();
  await vote.getByRole('button', { name: 'Skicka rösten' }).click();
  await vote.locator('#vote-msg').filter({ hasText: 'Tack för din röst!' }).waitFor(WAIT);
  assert.ok(await vote.locator('#vote-themes').isHidden(), 'the themes stay after voting');
  assert.ok(await vote.locator('#vote-intro').isHidden(), 'the instructions stay after voting');
  const height = (await vote.boundingBox()).height;
  assert.ok(height < 180, `the vote card is ${height}px tall after voting`);
  await phone.screenshot({ path: `${ARTIFACTS}/phone-360x640-voted.png`, fullPage: true });
});

test('the Move tool starts on a neutral choice and refuses to move without one', async () => {
  await consolePage.goto(`${server.url}/console#/w/${demo.id}/themes`);
  const row = consolePage.locator('#themes-list article[data-theme-id="kontinuitet"] li[data-answer-id]').first();
  await row.waitFor(WAIT);
  const before = (await api(server, 'GET', `/api/workshops/${demo.id}/decisions`, { key: server.key })).json.decisions.length;
  await row.locator('summary').click();
  const select = row.getByLabel('Flytta till');
  assert.equal(await select.inputValue(), '');
  assert.equal(await select.evaluate((s) => s.selectedOptions[0].textContent), 'Välj ett tema…');
  await row.getByRole('button', { name: 'Flytta', exact: true }).click();
  await row.locator('.error').filter({ hasText: 'Välj' }).waitFor(WAIT);
  assert.equal(await select.getAttribute('aria-invalid'), 'true');
  await consolePage.screenshot({ path: `${ARTIFACTS}/console-move.png` });
  const after = (await api(server, 'GET', `/api/workshops/${demo.id}/decisions`, { key: server.key })).json.decisions.length;
  assert.equal(after, before, 'a move was made without a choice');
  // The destructive choice is still there, further down, by name.
  await select.selectOption({ label: 'Passar inget tema (tas ur alla teman)' });
  assert.equal(await row.locator('.error').textContent(), '');
});

test('counts read as singular or plural in both languages', async () => {
  // The phone's vote above: one ballot with one dot.
  await consolePage.getByRole('link', { name: 'Röstning' }).click();
  const current = consolePage.locator('#vote-current');
  await current.locator('.vote-bars li').first().waitFor(WAIT);
  const nums = await current.locator('.vote-num').allTextContents();
  assert.equal(nums[0], '1 prick från 1 röstande');
  assert.equal(nums.at(-1), '0 prickar från 0 röstande');
  assert.match(await current.locator('.q-counts').textContent(), /1 har röstat · 1 prick var$/);

  await consolePage.getByRole('link', { name: 'Frågor och svar' }).click();
  await consolePage.goto(`${server.url}/console#/w/${ws.id}`);
  await consolePage.getByRole('heading', { level: 1, name: ws.title }).waitFor(WAIT);
  const c2 = consolePage.locator(`article[data-question-id="${q2.id}"]`);
  assert.match(await c2.locator('.q-counts').textContent(), /^0 svar, 0 dolda$/);
  const hide = await api(server, 'GET', `/api/workshops/${ws.id}/answers`, { key: server.key });
  const first = hide.json.answers.find((a) => a.question_id === q1.id);
  await api(server, 'PATCH', `/api/answers/${first.id}`, { key: server.key, body: { hidden: true } });
  const c1 = consolePage.locator(`article[data-question-id="${q1.id}"]`);
  await c1.locator('.q-counts').filter({ hasText: /, 1 dolt$/ }).waitFor(WAIT);

  await consolePage.getByRole('button', { name: 'English' }).click();
  await c1.locator('.q-counts').filter({ hasText: /, 1 hidden$/ }).waitFor(WAIT);
  await consolePage.goto(`${server.url}/console#/w/${demo.id}/vote`);
  await current.locator('.vote-bars li').first().waitFor(WAIT);
  assert.equal(await current.locator('.vote-num').first().textContent(), '1 dot from 1 voter');
  assert.equal(await current.locator('.vote-num').last().textContent(), '0 dots from 0 voters');
  assert.match(await current.locator('.q-counts').textContent(), /1 has voted · 1 dot each$/);
  await consolePage.getByRole('button', { name: 'Svenska' }).click();

  // Every count in the label table, at 0, 1 and 2, in both languages.
  const wrong = await consolePage.evaluate(async () => {
    const { t } = await import('/js/i18n.js');
    const cases = [
      ['ws.total', ['n']], ['ws.counts', ['visible', 'hidden']], ['vote.resultDots', ['dots', 'voters']],
      ['vote.meta', ['ballots', 'dots']], ['present.voteMeta', ['ballots', 'dots']], ['present.dots', ['n']],
      ['present.themesMeta', ['total', 'themes', 'none']], ['themes.meta', ['total', 'themes']],
      ['themes.counts', ['size', 'primary']], ['themes.unassignedCount', ['n']], ['vote.themeChoice', ['n']],
      ['pv.intro', ['n']], ['a.outboxCount', ['n']], ['present.count', ['n']],
    ];
    const bad = /\b1 (prickar|teman|dolda|synliga|röster|answers|dots|voters|themes|have|hidden answers)\b|\b[02] (prick|tema|dolt|synligt|answer|dot|voter|theme|has)\b|: 1\. (They|De) /;
    const out = [];
    for (const lang of ['sv', 'en']) {
      if (document.documentElement.lang !== lang) document.getElementById('lang').click();
      for (const [key, names] of cases) {
        for (const n of [0, 1, 2]) {
          const vars = Object.fromEntries(names.map((name) => [name, n]));
          const s = t(key, { label: 'X', time: '10:00', rev: 3, ...vars });
          if (bad.test(s) || /[{}]/.test(s)) out.push(`${lang} ${key} ${n}: ${s}`);
        }
      }
    }
    if (document.documentElement.lang !== 'sv') document.getElementById('lang').click();
    return out;
  });
  assert.deepEqual(wrong, []);
});

test('the projector counts one answer in the singular', async () => {
  await setOpen(q2, false);
  const third = ws.questions[2];
  await setOpen(third, true);
  await post('Ett enda svar.', third);
  await present.locator('#count').filter({ hasText: /^1$/ }).waitFor(WAIT);
  assert.equal(await present.locator('#count-label').textContent(), 'svar');
  // The projector redraws on the next animation frame after a language change.
  await present.getByRole('button', { name: 'English' }).click();
  await present.locator('#count-label').filter({ hasText: /^answer$/ }).waitFor(WAIT);
  await present.getByRole('button', { name: 'Svenska' }).click();
  await present.locator('#count-label').filter({ hasText: /^svar$/ }).waitFor(WAIT);
});

test('no console errors, uncaught exceptions, CSP violations or dialogs', () => {
  assert.deepEqual(pages.problems, []);
});
