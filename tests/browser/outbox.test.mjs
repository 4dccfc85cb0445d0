// Browser test of the phone's outbox against the real server's refusals: a
// rate-limited answer (429 + Retry-After) waits and is then sent; an answer
// to a question closed while it waited (409) is marked failed with the
// reason, stays visible, and can be retried with the same answer_id once the
// question reopens, or removed.
//
// Last, the server is killed (-9) while the phone has an answer to send and
// restarted on the same port and database: the answer arrives exactly once.
//
// Design: a server of its own with a tiny rate limit (burst 2, one per
// second) so 429 happens after two answers and Retry-After is short.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, WatchedPages } from '../lib/browser.mjs';
import { startServer, api, stopServers } from '../lib/server.mjs';

const WAIT = { timeout: 10000 };
let server;
let browser;
let ctx;
let phone;
let ws;
let q1;
let pages; // WatchedPages: console errors, page errors, CSP violations, dialogs

async function setOpen(open) {
  const r = await api(server, 'PATCH', `/api/questions/${q1.id}`, { key: server.key, body: { open } });
  assert.equal(r.status, 200, r.text);
}

async function storedTexts() {
  const r = await api(server, 'GET', `/api/workshops/${ws.id}/answers`, { key: server.key });
  assert.equal(r.status, 200, r.text);
  return r.json.answers.map((a) => a.text);
}

// Wait until the phone has tried to send the answer `text` at least `n`
// times, as its outbox records it: proof that its retry timer keeps trying
// while nothing else (coming online, a reconnected event stream) prompts it.
async function waitForAttempts(text, n) {
  await phone.waitForFunction(([id, t, k]) => {
    const rec = JSON.parse(localStorage.getItem(`inspel.answers.${id}`) || '{"entries": []}');
    const e = rec.entries.find((x) => x.text === t);
    return e && e.state === 'pending' && e.attempt >= k;
  }, [ws.id, text, n], WAIT);
}

async function send(text) {
  const q = phone.locator(`article[data-question-id="${q1.id}"]`);
  await q.getByLabel('Ditt svar').fill(text);
  await q.getByRole('button', { name: 'Skicka' }).click();
  return q.locator('li.own-answer').filter({ hasText: text });
}

before(async () => {
  server = await startServer({ args: ['--rate-burst', '2', '--rate-per-min', '60'] });
  browser = await launchChromium();
  const created = await api(server, 'POST', '/api/workshops', {
    key: server.key, body: { title: 'Outbox', template: 'primarvard' },
  });
  assert.equal(created.status, 201, created.text);
  ws = created.json;
  q1 = ws.questions[0];
  await setOpen(true);
  pages = new WatchedPages(browser);
  ({ ctx, page: phone } = await pages.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, 'phone'));
  await phone.goto(`${server.url}/j/${ws.code}`);
  await phone.locator(`article[data-question-id="${q1.id}"]`).waitFor(WAIT);
});

after(async () => {
  if (browser) await browser.close();
  await stopServers(server);
});

test('a rate-limited answer waits for Retry-After and is then sent once', async () => {
  pages.expectedError = /status of 429/;
  const first = await send('Kontinuitet');
  const second = await send('Teamsamverkan');
  const third = await send('Hemmonitorering');
  await first.locator('.own-status').filter({ hasText: 'Skickat' }).waitFor(WAIT);
  await second.locator('.own-status').filter({ hasText: 'Skickat' }).waitFor(WAIT);
  // The bucket held two: the third is refused with 429 and must wait, not
  // fail.  The wait is about a second, too short to catch on screen reliably,
  // so the outbox's attempt counter is the proof that it was refused first.
  await third.locator('.own-status').filter({ hasText: 'Skickat' }).waitFor(WAIT);
  pages.expectedError = null;
  const outbox = await phone.evaluate((id) => JSON.parse(localStorage.getItem(`inspel.answers.${id}`)), ws.id);
  const entry = outbox.entries.find((e) => e.text === 'Hemmonitorering');
  assert.equal(entry.state, 'sent');
  assert.ok(entry.attempt >= 1, 'the third answer was never refused: the rate limit did not apply');
  assert.deepEqual((await storedTexts()).sort(), ['Hemmonitorering', 'Kontinuitet', 'Teamsamverkan']);
});

test('an answer to a question closed while it waited fails visibly and can be retried', async () => {
  // Let the rate-limit bucket refill so only the closed question can refuse.
  await phone.waitForTimeout(2100);
  await ctx.setOffline(true);
  pages.expectedError = /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|status of 409/;
  const late = await send('Digitalisering av det förebyggande arbetet');
  await late.locator('.own-status').filter({ hasText: 'Väntar på att skickas…' }).waitFor(WAIT);
  // Still offline: the first try failed at once, the timer tries again.
  await waitForAttempts('Digitalisering av det förebyggande arbetet', 2);
  await setOpen(false);
  await ctx.setOffline(false);
  await late.locator('.own-status').filter({ hasText: 'Kunde inte skickas: frågan är stängd' }).waitFor(WAIT);
  assert.equal(await late.getAttribute('data-state'), 'failed');
  const id = await late.getAttribute('data-answer-id');
  // Still there after a reload: a failure is never silently dropped.
  await phone.reload();
  const again = phone.locator(`li.own-answer[data-answer-id="${id}"]`);
  await again.locator('.own-status').filter({ hasText: 'frågan är stängd' }).waitFor(WAIT);

  await setOpen(true);
  await phone.locator(`article[data-question-id="${q1.id}"] .badge`).filter({ hasText: 'Öppen' }).waitFor(WAIT);
  await again.getByRole('button', { name: 'Försök igen' }).click();
  await again.locator('.own-status').filter({ hasText: 'Skickat' }).waitFor(WAIT);
  pages.expectedError = null;
  const r = await api(server, 'GET', `/api/workshops/${ws.id}/answers`, { key: server.key });
  const matching = r.json.answers.filter((a) => a.text === 'Digitalisering av det förebyggande arbetet');
  assert.equal(matching.length, 1);
  assert.equal(matching[0].answer_id, id);
});

test('a failed answer can be removed from the phone', async () => {
  await ctx.setOffline(true);
  // The bucket may still be empty from the retry above, so a 429 may come first.
  pages.expectedError = /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|status of 409|status of 429/;
  const doomed = await send('För sent');
  await setOpen(false);
  await ctx.setOffline(false);
  await doomed.locator('.own-status').filter({ hasText: 'frågan är stängd' }).waitFor(WAIT);
  await doomed.getByRole('button', { name: 'Ta bort' }).click();
  await doomed.waitFor({ state: 'detached', ...WAIT });
  const stored = await phone.evaluate((wid) => JSON.parse(localStorage.getItem(`inspel.answers.${wid}`)), ws.id);
  assert.equal(stored.entries.some((e) => e.text === 'För sent'), false);
  assert.equal((await storedTexts()).includes('För sent'), false);
  pages.expectedError = null;
});

test('an answer written while the server is down is delivered once after it restarts', async () => {
  const port = new URL(server.url).port;
  await setOpen(true);
  const q = phone.locator(`article[data-question-id="${q1.id}"]`);
  await q.locator('.badge').filter({ hasText: 'Öppen' }).waitFor(WAIT);
  pages.expectedError = /ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|ERR_INCOMPLETE_CHUNKED_ENCODING|EventSource/;
  await server.kill9();
  await q.getByLabel('Ditt svar').fill('Skickat under omstarten');
  await q.getByRole('button', { name: 'Skicka' }).click();
  const item = q.locator('li.own-answer').filter({ hasText: 'Skickat under omstarten' });
  await item.locator('.own-status').filter({ hasText: 'Väntar på att skickas…' }).waitFor(WAIT);
  // The server is down: the phone keeps trying on its timer.
  await waitForAttempts('Skickat under omstarten', 2);
  server = await startServer({ dir: server.dir, key: server.key, args: ['--port', port] });
  await item.locator('.own-status').filter({ hasText: 'Skickat' }).waitFor({ timeout: 40000 });
  pages.expectedError = null;
  assert.equal((await storedTexts()).filter((text) => text === 'Skickat under omstarten').length, 1);
});

test('no unexpected console errors or exceptions', () => {
  assert.deepEqual(pages.problems, []);
});
