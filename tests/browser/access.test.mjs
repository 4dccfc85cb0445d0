// Browser test of who sees what (issue "trust"): a facilitator with a
// scoped key sees only her own workshop in the console, hands the projector
// its presenter link (copied from the console), the projector page takes
// the secret out of its address bar and keeps working on reload, a new link
// shuts the old screen out, and the Log tab says who did what.
//
// Design: one server, one browser, steps in order on the same workshop, as
// in workshop.test.mjs; every page is checked by axe and for console
// errors, CSP violations and dialogs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, WatchedPages, withAxe, assertAccessible } from '../lib/browser.mjs';
import { startServer, api, makeKey } from '../lib/server.mjs';

const WAIT = { timeout: 10000 };
const ANSWER = 'Kontinuitet med fast läkare';

let server;
let browser;
let pages;
let anna;
let ws;
let foreign;
let consolePage;
let present;
let link;

async function open(options, name) {
  const { ctx, page } = await pages.newPage(options, name);
  await withAxe(ctx);
  return { ctx, page };
}

before(async () => {
  server = await startServer();
  anna = makeKey(server.db);
  const mine = await api(server, 'POST', '/api/workshops', { key: anna, body: { title: 'Annas dialog', template: 'primarvard' } });
  assert.equal(mine.status, 201, mine.text);
  ws = mine.json;
  const theirs = await api(server, 'POST', '/api/workshops', { key: server.key, body: { title: 'Någon annans dialog', template: 'primarvard' } });
  foreign = theirs.json;
  assert.equal((await api(server, 'PATCH', `/api/questions/${ws.questions[0].id}`, { key: anna, body: { open: true } })).status, 200);
  const a = await api(server, 'POST', '/api/answers', {
    body: { code: ws.code, question_id: ws.questions[0].id, answer_id: 'access-test-0001', text: ANSWER, group: 'Bord 2' },
  });
  assert.equal(a.status, 201, a.text);
  browser = await launchChromium();
  pages = new WatchedPages(browser);
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    await server.stop();
    server.cleanup();
  }
});

test('a scoped key sees only its own workshop; another one is "not found"', async () => {
  ({ page: consolePage } = await open({ viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] }, 'console'));
  await consolePage.goto(`${server.url}/console`);
  await consolePage.getByLabel('Processledarnyckel').fill(anna);
  await consolePage.getByRole('button', { name: 'Logga in' }).click();
  await consolePage.getByRole('link', { name: `Öppna ${ws.title}` }).waitFor(WAIT);
  assert.equal(await consolePage.locator('#list-body tr').count(), 1);
  assert.equal(await consolePage.getByText(foreign.title).count(), 0);

  pages.expectedError = /status of 404/;
  await consolePage.goto(`${server.url}/console#/w/${foreign.id}`);
  await consolePage.locator('#ws-error').filter({ hasText: 'Workshoppen finns inte.' }).waitFor(WAIT);
  pages.expectedError = null;
});

test('the console shows the presenter link and copies it', async () => {
  await consolePage.goto(`${server.url}/console#/w/${ws.id}`);
  await consolePage.getByRole('heading', { level: 1, name: ws.title }).waitFor(WAIT);
  const field = consolePage.getByLabel('Länk till presentationsvyn');
  await consolePage.waitForFunction(() => document.querySelector('#ws-presenter-url').value !== '');
  link = await field.inputValue();
  assert.match(link, new RegExp(`/present/${ws.id}#s=[a-z2-7]{32}$`));
  assert.equal(await consolePage.getByRole('link', { name: 'Öppna presentationsvyn' }).getAttribute('href'), link);
  await consolePage.getByRole('button', { name: 'Kopiera länken' }).click();
  await consolePage.locator('#status').filter({ hasText: 'Länken är kopierad.' }).waitFor(WAIT);
  assert.equal(await consolePage.evaluate(() => navigator.clipboard.readText()), link);
  await consolePage.locator('#link-state').filter({ hasText: 'Live' }).waitFor(WAIT);
  await assertAccessible(consolePage, 'console with the presenter link');
});

test('the projector opens by the link, hides the secret from the room, and survives a reload', async () => {
  ({ page: present } = await open({ viewport: { width: 1280, height: 720 } }, 'present'));
  const secret = new URL(link).hash;
  await present.goto(`${server.url}/present/${ws.id}${secret}`);
  await present.locator('#wall li').filter({ hasText: ANSWER }).waitFor(WAIT);
  assert.equal(new URL(present.url()).hash, '', 'the secret is still in the address bar');
  await present.reload();
  await present.locator('#wall li').filter({ hasText: ANSWER }).waitFor(WAIT);
  await present.locator('#link-state').filter({ hasText: 'Live' }).waitFor(WAIT);
});

test('a new link shuts the old projector out; the console goes on', async () => {
  pages.expectedError = /status of 401/;
  await consolePage.getByRole('button', { name: 'Gör en ny länk' }).click();
  await consolePage.locator('#status').filter({ hasText: 'En ny länk är gjord.' }).waitFor(WAIT);
  const renewed = await consolePage.getByLabel('Länk till presentationsvyn').inputValue();
  assert.notEqual(renewed, link);
  await present.getByRole('heading', { level: 1, name: /^Länken till presentationsvyn saknas eller gäller inte längre/ }).waitFor(WAIT);
  await assertAccessible(present, 'projector with a link that no longer works');
  // The console's own stream reconnects with its key.
  await consolePage.locator('#link-state').filter({ hasText: 'Live' }).waitFor(WAIT);
  pages.expectedError = null;
  await present.goto(`${server.url}/present/${ws.id}${new URL(renewed).hash}`);
  await present.locator('#wall li').filter({ hasText: ANSWER }).waitFor(WAIT);
});

test('the Log tab says who did what, newest first', async () => {
  await consolePage.getByRole('link', { name: 'Logg' }).click();
  const rows = consolePage.locator('#audit-body tr');
  await rows.first().waitFor(WAIT);
  const what = await consolePage.locator('#audit-body tr td:nth-child(3)').allTextContents();
  assert.deepEqual(what, ['gjorde en ny länk till presentationsvyn', 'öppnade fråga 1', 'skapade workshoppen']);
  const who = await consolePage.locator('#audit-body tr td:nth-child(2)').allTextContents();
  assert.ok(who.every((w) => /^nyckel \d+$/.test(w)), who.join(', '));
  await assertAccessible(consolePage, 'console, Log tab');
  await consolePage.getByRole('link', { name: 'Frågor och svar' }).click();
  await consolePage.locator(`article[data-question-id="${ws.questions[0].id}"]`).getByRole('button', { name: `Dölj svaret ”${ANSWER}”` }).click();
  await consolePage.getByRole('link', { name: 'Logg' }).click();
  await consolePage.locator('#audit-body tr td').filter({ hasText: `dolde svaret ”${ANSWER}”` }).waitFor(WAIT);
  await consolePage.getByRole('button', { name: 'English' }).click();
  await consolePage.locator('#audit-body tr td').filter({ hasText: `hid the answer “${ANSWER}”` }).waitFor(WAIT);
});

test('no console errors, uncaught exceptions, CSP violations or dialogs', () => {
  assert.deepEqual(pages.problems, []);
});
