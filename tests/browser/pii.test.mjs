// Browser test of personal data in answers: the console marks an answer
// whose text holds a personal number and offers "Släpp fram" (let
// through); the projector does not show it until that button is pressed,
// and the answer stays hideable.  The console is checked with axe in both
// states, and the file ends asserting no console errors, uncaught
// exceptions, CSP violations or dialogs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchChromium, WatchedPages, withAxe, assertAccessible } from '../lib/browser.mjs';
import { startServer, api } from '../lib/server.mjs';

const ARTIFACTS = 'tests/artifacts';
const WAIT = { timeout: 10000 };
const PLAIN = 'Kortare väntetider på vårdcentralen';
const PERSONAL = 'Min mamma på Solgläntan, 19450312-1230, fick vänta i tre veckor';

let server;
let browser;
let pages;
let ws;
let q1;
let present;
let consolePage;
let personalId;

async function post(text, n) {
  const res = await api(server, 'POST', '/api/answers', {
    body: { code: ws.code, question_id: q1.id, answer_id: `pii-browser-${n}`, text, client_id: 'pii-browser-phone' },
  });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  pages = new WatchedPages(browser);
  const created = await api(server, 'POST', '/api/workshops', {
    key: server.key, body: { title: 'Primärvårdsdialog Arvika', template: 'primarvard' },
  });
  assert.equal(created.status, 201, created.text);
  ws = created.json;
  q1 = ws.questions[0];
  assert.equal((await api(server, 'PATCH', `/api/questions/${q1.id}`, { key: server.key, body: { open: true } })).status, 200);
  await post(PLAIN, 1);
  const personal = await post(PERSONAL, 2);
  assert.equal(personal.held, true);
  personalId = personal.id;
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    await server.stop();
    server.cleanup();
  }
});

test('the projector shows the plain answer, not the one with a personal number', async () => {
  ({ page: present } = await pages.newPage({ viewport: { width: 1280, height: 720 } }, 'present'));
  // The projector opens by the workshop's presenter link (its secret is in the fragment).
  const link = new URL(ws.presenter_url);
  await present.goto(`${server.url}${link.pathname}${link.hash}`);
  await present.locator('#count').filter({ hasText: /^2$/ }).waitFor(WAIT);
  await present.locator('#wall li').filter({ hasText: PLAIN }).waitFor(WAIT);
  assert.deepEqual(await present.locator('#wall li').allTextContents(), [PLAIN]);
  assert.ok(!(await present.content()).includes('19450312'));
});

test('the console marks the held answer and offers to let it through', async () => {
  let ctx;
  ({ ctx, page: consolePage } = await pages.newPage({ viewport: { width: 1280, height: 900 } }, 'console'));
  await withAxe(ctx);
  await consolePage.goto(`${server.url}/console`);
  await consolePage.getByLabel('Processledarnyckel').fill(server.key);
  await consolePage.getByRole('button', { name: 'Logga in' }).click();
  await consolePage.getByRole('link', { name: `Öppna ${ws.title}` }).click();
  await consolePage.getByRole('heading', { level: 1, name: ws.title }).waitFor(WAIT);
  const row = consolePage.locator(`li[data-answer-id="${personalId}"]`);
  await row.waitFor(WAIT);
  assert.equal(await row.locator('.a-text').textContent(), PERSONAL, 'the facilitator sees the whole text');
  assert.equal(await row.locator('.tag-pii').textContent(), 'Personuppgifter: visas inte för rummet');
  assert.ok(await row.evaluate((li) => li.classList.contains('is-held')));
  const plainRow = consolePage.locator('.answers-list li').filter({ hasText: PLAIN });
  assert.equal(await plainRow.locator('.tag-pii').count(), 0);
  assert.ok(await plainRow.locator('.btn-release').isHidden());
  await row.getByRole('button', { name: `Släpp fram svaret ”${PERSONAL}” till projektorn` }).waitFor(WAIT);
  await row.getByRole('button', { name: `Dölj svaret ”${PERSONAL}”` }).waitFor(WAIT);
  await assertAccessible(consolePage, 'console with a held answer');
  await consolePage.screenshot({ path: `${ARTIFACTS}/console-pii-held.png`, fullPage: true });
});

test('letting it through puts it on the projector; it stays marked and hideable', async () => {
  const row = consolePage.locator(`li[data-answer-id="${personalId}"]`);
  await row.getByRole('button', { name: 'Släpp fram' }).click();
  await consolePage.locator('#status').filter({ hasText: 'Svaret visas nu för rummet.' }).waitFor(WAIT);
  await row.locator('.tag-pii').filter({ hasText: /^Personuppgifter$/ }).waitFor(WAIT);
  assert.ok(await row.locator('.btn-release').isHidden());
  assert.ok(!(await row.evaluate((li) => li.classList.contains('is-held'))));
  await present.locator('#wall li').filter({ hasText: PERSONAL }).waitFor(WAIT);
  const stored = (await api(server, 'GET', `/api/workshops/${ws.id}/answers`, { key: server.key })).json.answers;
  assert.equal(stored.find((a) => a.id === personalId).held, false);
  await assertAccessible(consolePage, 'console after letting an answer through');

  await row.getByRole('button', { name: `Dölj svaret ”${PERSONAL}”` }).click();
  await row.getByRole('button', { name: `Visa svaret ”${PERSONAL}” igen` }).waitFor(WAIT);
  await present.locator('#wall li').filter({ hasText: PERSONAL }).waitFor({ state: 'detached', ...WAIT });
  assert.deepEqual(await present.locator('#wall li').allTextContents(), [PLAIN]);
});

test('no console errors, uncaught exceptions, CSP violations or dialogs', () => {
  assert.deepEqual(pages.problems, []);
});
