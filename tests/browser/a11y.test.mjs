// Accessibility of every page and state a workshop day shows, checked by
// axe-core (WCAG 2.1 A and AA, plus its best-practice rules): the join
// page, the phone page (answering, too long, sent, the vote card before and
// after voting), the projector's three views, and the console's login,
// list, editor and each workshop tab.  Any violation fails the test with
// the rule and the elements.
//
// Design: one server with --demo, so every view has content (answers,
// themes, a vote); axe is loaded into each context by an init script
// (tests/lib/browser.mjs) and run on the page as a person would see it at
// that moment.  The console is opened on loopback with a loopback join
// address, so its warning banner is checked too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, WatchedPages, withAxe, assertAccessible } from '../lib/browser.mjs';
import { startServer, api, presenterUrl, stopServers } from '../lib/server.mjs';

const WAIT = { timeout: 15000 };
const PHONE = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true };

let server;
let browser;
let pages;
let demo;
let phone;
let present;
let consolePage;

async function open(options, name) {
  const { ctx, page } = await pages.newPage(options, name);
  await withAxe(ctx);
  return page;
}

before(async () => {
  server = await startServer({ args: ['--demo'] });
  let id = null;
  for (let i = 0; i < 150 && !id; i++) {
    id = (/\/present\/([a-z2-7]{16})/.exec(server.output().stdout) || [])[1];
    if (!id) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(id, `no demo block:\n${server.output().stdout}`);
  demo = (await api(server, 'GET', `/api/workshops/${id}`, { key: server.key })).json;
  browser = await launchChromium();
  pages = new WatchedPages(browser);
});

after(async () => {
  if (browser) await browser.close();
  await stopServers(server);
});

test('the join page, empty and with an error', async () => {
  phone = await open(PHONE, 'phone');
  await phone.goto(`${server.url}/`);
  await phone.getByRole('heading', { level: 1, name: 'Gå med i en dialog' }).waitFor(WAIT);
  await assertAccessible(phone, 'join page');
  await phone.getByLabel('Kod').fill('12');
  await phone.getByRole('button', { name: 'Gå med' }).click();
  await phone.locator('#join-error').filter({ hasText: 'sex' }).waitFor(WAIT);
  await assertAccessible(phone, 'join page with an error');
});

test('the phone page: answering, an answer too long, sent answers, a closed question', async () => {
  await phone.getByLabel('Kod').fill(demo.code);
  await phone.getByRole('button', { name: 'Gå med' }).click();
  await phone.getByRole('heading', { level: 1, name: demo.title }).waitFor(WAIT);
  const q = phone.locator(`article[data-question-id="${demo.questions[0].id}"]`);
  await q.getByLabel('Ditt svar').waitFor(WAIT);
  await assertAccessible(phone, 'phone page');

  await q.getByLabel('Ditt svar').fill('x'.repeat(1010));
  await q.locator('.char-count').waitFor(WAIT);
  await assertAccessible(phone, 'phone page, answer too long');

  await q.getByLabel('Ditt svar').fill('Fler mobila team i glesbygden');
  await q.getByRole('button', { name: 'Skicka' }).click();
  await q.locator('li[data-state="sent"]').waitFor(WAIT);
  await assertAccessible(phone, 'phone page, answer sent');

  const opened = await api(server, 'PATCH', `/api/questions/${demo.questions[1].id}`, { key: server.key, body: { open: true } });
  assert.equal(opened.status, 200);
  const closed = await api(server, 'PATCH', `/api/questions/${demo.questions[0].id}`, { key: server.key, body: { open: false } });
  assert.equal(closed.status, 200);
  await q.locator('.badge').filter({ hasText: 'Stängd' }).waitFor(WAIT);
  await assertAccessible(phone, 'phone page, a closed question');
});

test('the projector: answers, themes and an empty vote view', async () => {
  present = await open({ viewport: { width: 1920, height: 1080 } }, 'present');
  await present.goto(await presenterUrl(server, demo.id));
  await present.locator('#wall li').first().waitFor(WAIT);
  await present.locator('#link-state').filter({ hasText: 'Live' }).waitFor(WAIT);
  await assertAccessible(present, 'projector, answers');
  await present.getByRole('button', { name: 'Teman' }).click();
  await present.locator('#themes li').first().waitFor(WAIT);
  await assertAccessible(present, 'projector, themes');
  await present.getByRole('button', { name: 'Röstning' }).click();
  await present.locator('#vote-empty').waitFor(WAIT);
  await assertAccessible(present, 'projector, no vote yet');
});

test('the console: login, list, editor, and each tab of a workshop', async () => {
  consolePage = await open({ viewport: { width: 1280, height: 900 } }, 'console');
  await consolePage.goto(`${server.url}/console`);
  await consolePage.getByLabel('Processledarnyckel').waitFor(WAIT);
  await assertAccessible(consolePage, 'console login');
  pages.expectedError = /status of 401/;
  await consolePage.getByLabel('Processledarnyckel').fill('not-the-key-at-all-0000');
  await consolePage.getByRole('button', { name: 'Logga in' }).click();
  await consolePage.locator('#login-error').filter({ hasText: 'godtogs inte' }).waitFor(WAIT);
  pages.expectedError = null;
  await assertAccessible(consolePage, 'console login with an error');
  await consolePage.getByLabel('Processledarnyckel').fill(server.key);
  await consolePage.getByRole('button', { name: 'Logga in' }).click();
  await consolePage.getByRole('link', { name: `Öppna ${demo.title}` }).waitFor(WAIT);
  await assertAccessible(consolePage, 'console workshop list');

  await consolePage.getByRole('button', { name: 'Ny workshop' }).click();
  await consolePage.getByLabel('Egna frågor').check();
  await consolePage.getByLabel('Fråga 1', { exact: true }).waitFor(WAIT);
  await assertAccessible(consolePage, 'console workshop editor');
  await consolePage.getByRole('button', { name: 'Avbryt' }).click();

  await consolePage.getByRole('link', { name: `Öppna ${demo.title}` }).click();
  await consolePage.getByRole('heading', { level: 1, name: demo.title }).waitFor(WAIT);
  await consolePage.locator('.answers-list li').first().waitFor(WAIT);
  await consolePage.locator('#join-warning').waitFor(WAIT);
  await assertAccessible(consolePage, 'console, questions and answers (with the loopback warning)');

  await consolePage.getByRole('link', { name: 'Teman' }).click();
  const row = consolePage.locator('#themes-list li[data-answer-id]').first();
  await row.waitFor(WAIT);
  await row.locator('summary').click();
  await row.getByRole('button', { name: 'Flytta', exact: true }).click();
  await row.locator('.error').filter({ hasText: 'Välj' }).waitFor(WAIT);
  await assertAccessible(consolePage, 'console, themes (a Move tool open, refusing)');

  await consolePage.getByRole('link', { name: 'Röstning' }).click();
  await consolePage.locator('#vote-themes input').first().waitFor(WAIT);
  await assertAccessible(consolePage, 'console, vote (none yet)');
  await consolePage.getByRole('button', { name: 'Öppna röstningen' }).click();
  await consolePage.locator('#vote-current .badge-open').waitFor(WAIT);
  await assertAccessible(consolePage, 'console, vote (open)');

  await consolePage.getByRole('link', { name: 'Serie och rapport' }).click();
  await consolePage.getByRole('heading', { name: 'Ladda ned rapporten' }).waitFor(WAIT);
  await assertAccessible(consolePage, 'console, series and report');
});

test('the vote card on the phone, before and after voting, and the projector\'s vote view', async () => {
  const vote = phone.locator('#vote-card');
  await vote.waitFor(WAIT);
  await vote.getByRole('button', { name: /^Lägg en prick på / }).first().click();
  await assertAccessible(phone, 'phone vote card');
  await vote.getByRole('button', { name: 'Skicka rösten' }).click();
  await vote.locator('#vote-msg').filter({ hasText: 'Tack för din röst!' }).waitFor(WAIT);
  await assertAccessible(phone, 'phone vote card after voting');
  await present.locator('#vote-meta').filter({ hasText: /^1 har röstat/ }).waitFor(WAIT);
  await assertAccessible(present, 'projector, vote results');
});

test('no console errors, uncaught exceptions, CSP violations or dialogs', () => {
  assert.deepEqual(pages.problems, []);
});
