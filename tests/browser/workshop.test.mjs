// Browser test of the three pages against the real server: a phone joins by
// code and answers, the projector updates live, the facilitator closes the
// question from the console, and an answer written offline is delivered
// exactly once when the phone comes back online.
//
// Design: one server, one browser and one workshop shared by sequential
// tests (node:test runs a file's tests in order), because each step is the
// next moment of the same workshop.  Pages are never reloaded between steps
// unless the step is about reloading; a window marker proves it.  Every page
// records console errors, uncaught exceptions and CSP violations, and the
// last test asserts there were none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchChromium, WatchedPages, mark, assertNotReloaded } from '../lib/browser.mjs';
import { startServer, api, presenterUrl, stopServers } from '../lib/server.mjs';

const ARTIFACTS = 'tests/artifacts';
const WAIT = { timeout: 10000 };
const SWEDISH = 'Läkarkontinuitet är viktigt för äldre på landsbygden i Åmål';
const HOSTILE = '<img src=x onerror=alert(1)>';
const OFFLINE = 'Hemmonitorering för KOL-patienter';

let server;
let browser;
let ws;
let q1;
let phoneCtx;
let phone;
let present;
let consolePage;
let sentAt; // when the phone sent its second answer (ms since the epoch)
let pages; // WatchedPages: console errors, page errors, CSP violations, dialogs

function card(page, questionId) {
  return page.locator(`article[data-question-id="${questionId}"]`);
}

async function serverAnswers() {
  const r = await api(server, 'GET', `/api/workshops/${ws.id}/answers`, { key: server.key });
  assert.equal(r.status, 200, r.text);
  return r.json.answers;
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  pages = new WatchedPages(browser);
  const created = await api(server, 'POST', '/api/workshops', {
    key: server.key, body: { title: 'Primärvårdsdialog Karlstad', template: 'primarvard' },
  });
  assert.equal(created.status, 201, created.text);
  ws = created.json;
  q1 = ws.questions[0];
  const opened = await api(server, 'PATCH', `/api/questions/${q1.id}`, { key: server.key, body: { open: true } });
  assert.equal(opened.status, 200, opened.text);
  assert.equal(opened.json.open, true);
});

after(async () => {
  if (browser) await browser.close();
  await stopServers(server);
});

test('presenter screen shows the join code, QR code and the open question', async () => {
  ({ page: present } = await pages.newPage({ viewport: { width: 1280, height: 720 } }, 'present'));
  await present.goto(await presenterUrl(server, ws.id));
  await present.locator('#join-code').filter({ hasText: ws.code }).waitFor(WAIT);
  const qr = present.getByAltText('QR-kod för att gå med');
  await qr.waitFor(WAIT);
  assert.equal(await qr.getAttribute('src'), `/api/join/${ws.code}/qr.svg`);
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'QR image did not load');
  await present.getByRole('heading', { level: 1, name: q1.text }).waitFor(WAIT);
  assert.equal(await present.locator('#count').textContent(), '0');
  await mark(present);
});

test('phone joins by typing the code, picks a table and an organisation', async () => {
  ({ ctx: phoneCtx, page: phone } = await pages.newPage({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
  }, 'phone'));
  await phone.goto(`${server.url}/`);
  // Keyboard only: the code field is reachable by Tab and Enter submits.
  await phone.locator('#lang').focus();
  await phone.keyboard.press('Tab');
  assert.equal(await phone.evaluate(() => document.activeElement.id), 'join-code');
  pages.expectedError = /status of 404/;
  await phone.keyboard.type('ZZZZZ9');
  await phone.keyboard.press('Enter');
  await phone.locator('#join-error').filter({ hasText: 'Ingen workshop har koden ZZZZZ9' }).waitFor(WAIT);
  pages.expectedError = null;
  await phone.getByLabel('Kod').fill(ws.code.toLowerCase());
  await phone.getByRole('button', { name: 'Gå med' }).click();
  await phone.getByRole('heading', { level: 1, name: ws.title }).waitFor(WAIT);
  assert.equal(new URL(phone.url()).pathname, `/j/${ws.code}`);
  await phone.getByLabel('Bord eller grupp').fill('Bord 4');
  await phone.getByLabel('Organisation').selectOption('Kommun');
  // Only the open question is offered.
  await card(phone, q1.id).waitFor(WAIT);
  assert.equal(await phone.locator('article[data-question-id]').count(), 1);
  await mark(phone);
});

test('phone sends two answers and both show as sent, as text', async () => {
  // The projector notes when its count reaches 2, for the latency figure below.
  await present.evaluate(() => {
    const count = document.getElementById('count');
    new MutationObserver(() => {
      if (count.textContent === '2' && !window.inspelCountTwoAt) window.inspelCountTwoAt = Date.now();
    }).observe(count, { childList: true, characterData: true, subtree: true });
  });
  const q = card(phone, q1.id);
  for (const text of [SWEDISH, HOSTILE]) {
    await q.getByLabel('Ditt svar').fill(text);
    sentAt = Date.now();
    await q.getByRole('button', { name: 'Skicka' }).click();
  }
  const sent = q.locator('li[data-state="sent"]');
  await sent.nth(1).waitFor(WAIT);
  assert.equal(await sent.count(), 2);
  assert.deepEqual(await q.locator('.own-text').allTextContents(), [SWEDISH, HOSTILE]);
  for (const status of await q.locator('.own-status').allTextContents()) assert.equal(status, 'Skickat');
  assert.equal(await phone.locator('main img').count(), 0, 'answer text was parsed as HTML');
  await phone.screenshot({ path: `${ARTIFACTS}/phone.png`, fullPage: true });
  // Usable at 360 px: nothing forces sideways scrolling.
  await phone.setViewportSize({ width: 360, height: 740 });
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 360), 'page wider than 360 px');
  await phone.setViewportSize({ width: 390, height: 844 });

  const stored = await serverAnswers();
  assert.equal(stored.length, 2);
  assert.deepEqual(stored.map((a) => a.text), [SWEDISH, HOSTILE]);
  for (const a of stored) {
    assert.equal(a.group, 'Bord 4');
    assert.equal(a.organisation, 'Kommun');
  }
});

test('presenter shows both answers and the count 2 without reloading', async (t) => {
  await present.locator('#count').filter({ hasText: /^2$/ }).waitFor(WAIT);
  // A figure, not an assertion: speed is for benchmarks.
  const countTwoAt = await present.evaluate(() => window.inspelCountTwoAt);
  t.diagnostic(`projector count updated ${countTwoAt - sentAt} ms after the second answer was sent`);
  const wall = present.locator('#wall li');
  await wall.nth(1).waitFor(WAIT);
  // Newest first.
  assert.deepEqual(await wall.allTextContents(), [HOSTILE, SWEDISH]);
  assert.equal(await present.locator('#wall img').count(), 0, 'answer text was parsed as HTML');
  await present.locator('#cloud li').first().waitFor(WAIT);
  await assertNotReloaded(present);
  await present.screenshot({ path: `${ARTIFACTS}/present.png` });
  // New answers get a highlight, except for viewers who asked for less motion.
  const animation = () => present.evaluate(() => getComputedStyle(document.querySelector('#wall li')).animationName);
  await present.emulateMedia({ reducedMotion: 'no-preference' });
  assert.equal(await animation(), 'arrive');
  await present.emulateMedia({ reducedMotion: 'reduce' });
  assert.equal(await animation(), 'none');
});

test('facilitator logs in with the key and closes the question; the phone sees it closed', async () => {
  ({ page: consolePage } = await pages.newPage({ viewport: { width: 1280, height: 900 } }, 'console'));
  await consolePage.goto(`${server.url}/console`);
  pages.expectedError = /status of 401/;
  await consolePage.getByLabel('Processledarnyckel').fill('not-the-key-at-all-0000');
  await consolePage.getByRole('button', { name: 'Logga in' }).click();
  await consolePage.locator('#login-error').filter({ hasText: 'godtogs inte' }).waitFor(WAIT);
  pages.expectedError = null;
  await consolePage.getByLabel('Processledarnyckel').fill(server.key);
  await consolePage.getByRole('button', { name: 'Logga in' }).click();
  await consolePage.getByRole('link', { name: `Öppna ${ws.title}` }).click();
  await consolePage.getByRole('heading', { level: 1, name: ws.title }).waitFor(WAIT);
  const c = consolePage.locator(`article[data-question-id="${q1.id}"]`);
  await c.locator('.answers-list li').nth(1).waitFor(WAIT);
  assert.match(await c.locator('.q-counts').textContent(), /^2 svar, 0 dolda$/);
  assert.deepEqual(await c.locator('.a-text').allTextContents(), [HOSTILE, SWEDISH]);
  assert.equal(await c.locator('img').count(), 0, 'answer text was parsed as HTML');
  await consolePage.screenshot({ path: `${ARTIFACTS}/console.png`, fullPage: true });

  await c.getByRole('button', { name: 'Stäng fråga 1' }).click();
  await c.getByRole('button', { name: 'Öppna fråga 1' }).waitFor(WAIT);

  const q = card(phone, q1.id);
  await q.locator('.badge').filter({ hasText: 'Stängd' }).waitFor(WAIT);
  assert.ok(await q.getByLabel('Ditt svar').isDisabled());
  // A closed question collapses: its form is out of sight, and disabled as well.
  assert.ok(await q.locator('form').isHidden(), 'a closed question shows its answer form');
  assert.ok(await q.getByRole('button', { name: 'Skicka', includeHidden: true }).isDisabled());
  assert.match(await q.textContent(), /Frågan är stängd/);
  await assertNotReloaded(phone);
  await phone.screenshot({ path: `${ARTIFACTS}/phone-closed.png`, fullPage: true });
});

test('facilitator hides an answer: the projector drops it, the console keeps it', async () => {
  const c = consolePage.locator(`article[data-question-id="${q1.id}"]`);
  await c.getByRole('button', { name: `Dölj svaret ”${HOSTILE}”` }).click();
  await c.getByRole('button', { name: `Visa svaret ”${HOSTILE}” igen` }).waitFor(WAIT);
  await present.locator('#count').filter({ hasText: /^1$/ }).waitFor(WAIT);
  assert.deepEqual(await present.locator('#wall li').allTextContents(), [SWEDISH]);
  const stored = await serverAnswers();
  assert.equal(stored.find((a) => a.text === HOSTILE).hidden, true);
  await c.locator('.q-counts').filter({ hasText: '1 svar, 1 dolt' }).waitFor(WAIT);
});

test('an answer written offline waits, then is sent exactly once', async () => {
  const reopened = await api(server, 'PATCH', `/api/questions/${q1.id}`, { key: server.key, body: { open: true } });
  assert.equal(reopened.status, 200, reopened.text);
  const q = card(phone, q1.id);
  await q.locator('.badge').filter({ hasText: 'Öppen' }).waitFor(WAIT);

  pages.expectedError = /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED/;
  await phoneCtx.setOffline(true);
  await q.getByLabel('Ditt svar').fill(OFFLINE);
  await q.getByRole('button', { name: 'Skicka' }).click();
  const item = q.locator('li.own-answer').filter({ hasText: OFFLINE });
  await item.locator('.own-status').filter({ hasText: 'Väntar på att skickas…' }).waitFor(WAIT);
  await phone.locator('#link-state').filter({ hasText: 'Ingen uppkoppling' }).waitFor(WAIT);
  await phone.locator('#outbox-summary').filter({ hasText: 'Svar som väntar på att skickas: 1.' }).waitFor(WAIT);
  const outbox = await phone.evaluate((id) => JSON.parse(localStorage.getItem(`inspel.answers.${id}`)), ws.id);
  const queued = outbox.entries.find((e) => e.text === OFFLINE);
  assert.equal(queued.state, 'pending');
  assert.match(queued.answer_id, /^[A-Za-z0-9_-]{8,64}$/);
  // Give the backoff time to retry and fail at least once more.
  await phone.waitForTimeout(2500);
  assert.equal(await item.getAttribute('data-state'), 'pending');
  await phone.screenshot({ path: `${ARTIFACTS}/phone-offline.png`, fullPage: true });

  await phoneCtx.setOffline(false);
  await item.locator('.own-status').filter({ hasText: 'Skickat' }).waitFor(WAIT);
  pages.expectedError = null;
  assert.ok(await phone.locator('#outbox-summary').isHidden(), 'the waiting summary stayed after sending');
  const stored = (await serverAnswers()).filter((a) => a.text === OFFLINE);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].answer_id, queued.answer_id);
  await assertNotReloaded(phone);
});

test('a reload keeps the workshop, the table, the organisation and the own answers', async () => {
  await phone.reload();
  await phone.getByRole('heading', { level: 1, name: ws.title }).waitFor(WAIT);
  assert.equal(await phone.getByLabel('Bord eller grupp').inputValue(), 'Bord 4');
  assert.equal(await phone.getByLabel('Organisation').inputValue(), 'Kommun');
  const q = card(phone, q1.id);
  await q.locator('li[data-state="sent"]').nth(2).waitFor(WAIT);
  assert.deepEqual(await q.locator('.own-text').allTextContents(), [SWEDISH, HOSTILE, OFFLINE]);
});

test('the language switch turns the phone page English and back', async () => {
  await phone.getByRole('button', { name: 'English' }).click();
  assert.equal(await phone.locator('html').getAttribute('lang'), 'en');
  assert.equal(await phone.locator('#lang').getAttribute('lang'), 'sv');
  const q = card(phone, q1.id);
  await q.getByRole('button', { name: 'Send' }).waitFor(WAIT);
  assert.match(await q.locator('.own-status').first().textContent(), /^Sent$/);
  await phone.getByRole('button', { name: 'Svenska' }).click();
  assert.equal(await phone.locator('html').getAttribute('lang'), 'sv');
  await q.getByRole('button', { name: 'Skicka' }).waitFor(WAIT);
});

test('facilitator creates a workshop with own questions and no organisations; the phone joins by link', async () => {
  await consolePage.getByRole('link', { name: 'Alla workshoppar' }).click();
  await consolePage.getByRole('button', { name: 'Ny workshop' }).click();
  await consolePage.getByLabel('Titel').fill('Dialog Säffle');
  await consolePage.getByLabel('Egna frågor').check();
  await consolePage.getByLabel('Avsnitt').first().fill('Dialog A');
  await consolePage.getByLabel('Fråga 1', { exact: true }).fill('Vad fungerar bra i dag?');
  await consolePage.getByRole('button', { name: 'Lägg till fråga' }).click();
  // The new row starts in the previous row's section and takes the focus.
  assert.equal(await consolePage.getByLabel('Avsnitt').nth(1).inputValue(), 'Dialog A');
  assert.equal(await consolePage.evaluate(() => document.activeElement.labels[0].textContent), 'Fråga 2');
  await consolePage.keyboard.type('Vad saknas för äldre med KOL?');
  for (let n = 5; n >= 1; n--) await consolePage.getByRole('button', { name: `Ta bort organisation ${n}` }).click();
  await consolePage.screenshot({ path: `${ARTIFACTS}/console-create.png`, fullPage: true });
  await consolePage.getByRole('button', { name: 'Skapa workshop' }).click();
  await consolePage.getByRole('heading', { level: 1, name: 'Dialog Säffle' }).waitFor(WAIT);

  const list = await api(server, 'GET', '/api/workshops', { key: server.key });
  const created = list.json.workshops.find((w) => w.title === 'Dialog Säffle');
  assert.ok(created, 'workshop not created');
  assert.deepEqual(created.organisations, []);
  assert.deepEqual(created.questions.map((q) => [q.section, q.text]),
    [['Dialog A', 'Vad fungerar bra i dag?'], ['Dialog A', 'Vad saknas för äldre med KOL?']]);

  await consolePage.getByRole('button', { name: 'Öppna fråga 2' }).click();
  await consolePage.getByRole('button', { name: 'Stäng fråga 2' }).waitFor(WAIT);
  await phone.goto(`${server.url}/j/${created.code}`);
  await phone.getByRole('heading', { level: 1, name: 'Dialog Säffle' }).waitFor(WAIT);
  await card(phone, created.questions[1].id).waitFor(WAIT);
  assert.equal(await phone.locator('article[data-question-id]').count(), 1);
  assert.ok(await phone.locator('#org-field').isHidden(), 'organisation choice shown for an empty list');
});

test('a presenter link that does not work (unknown workshop, no secret) says so instead of retrying forever', async () => {
  pages.expectedError = /status of 401/;
  const { page, ctx } = await pages.newPage({ viewport: { width: 1280, height: 720 } }, 'present-unknown');
  await page.goto(`${server.url}/present/nosuchworkshop0#s=abcdefghijklmnopqrstuvwxyz234567`);
  await page.getByRole('heading', { level: 1, name: /^Länken till presentationsvyn saknas eller gäller inte längre/ }).waitFor(WAIT);
  await page.goto(`${server.url}/present/${ws.id}`);
  await page.getByRole('heading', { level: 1, name: /^Länken till presentationsvyn saknas/ }).waitFor(WAIT);
  await ctx.close();
  pages.expectedError = null;
});

test('no console errors, uncaught exceptions, CSP violations or dialogs', () => {
  assert.deepEqual(pages.problems, []);
});
