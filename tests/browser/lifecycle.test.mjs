// Browser test of the end of a workshop and a participant's rights: the
// phone shows its participant code and sends a different id in each
// workshop; the facilitator erases that participant's answers by the code
// in the console, closes the workshop (the phone is told it has ended),
// reopens it, and deletes it by typing its name.  Every page records console
// errors, page errors and CSP violations; the last test asserts there were none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, WatchedPages } from '../lib/browser.mjs';
import { startServer, api } from '../lib/server.mjs';

const WAIT = { timeout: 15000 };

let server;
let browser;
let pages;
let ws;
let other;
let phone;
let consolePage;

const keyed = (method, path, body) => api(server, method, path, { key: server.key, body });

async function workshop(title) {
  const res = await keyed('POST', '/api/workshops', { title, template: 'primarvard' });
  assert.equal(res.status, 201);
  assert.equal((await keyed('PATCH', `/api/questions/${res.json.questions[0].id}`, { open: true })).status, 200);
  return res.json;
}

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  pages = new WatchedPages(browser);
  ws = await workshop('Livscykel Karlstad');
  other = await workshop('Livscykel Arvika');
});

after(async () => {
  await browser?.close();
  const { code } = await server.stop();
  server.cleanup();
  assert.equal(code, 0);
});

// The phone answers the open question of the workshop it is in.
async function answerOnPhone(text) {
  const card = phone.locator('article.question').first();
  await card.getByRole('textbox').fill(text);
  await card.getByRole('button', { name: 'Skicka' }).click();
  await card.locator('.own-answer[data-state="sent"]').filter({ hasText: text }).waitFor(WAIT);
}

test('the phone shows a participant code and sends a different id in each workshop', async () => {
  ({ page: phone } = await pages.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, 'phone'));
  await phone.goto(`${server.url}/j/${ws.code}`);
  await answerOnPhone('Jag har diabetes och träffar aldrig samma läkare');
  const code = (await phone.locator('#pcode').textContent()).trim();
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  assert.match(await phone.locator('#pcode-line').textContent(), /Din deltagarkod/);
  // The phone kept its participant token.
  assert.equal(typeof await phone.evaluate((id) => JSON.parse(localStorage.getItem(`inspel.token.${id}`)), ws.id), 'string');

  await phone.getByRole('button', { name: 'Byt workshop' }).click();
  await phone.getByLabel('Kod').fill(other.code);
  await phone.getByRole('button', { name: 'Gå med' }).click();
  await phone.getByRole('heading', { level: 1, name: other.title }).waitFor(WAIT);
  await answerOnPhone('Ett svar i en annan workshop');
  const otherCode = (await phone.locator('#pcode').textContent()).trim();
  assert.notEqual(otherCode, code, 'one code per workshop');
  // The secret itself is never sent: the stored answers carry no trace of it.
  const secret = await phone.evaluate(() => JSON.parse(localStorage.getItem('inspel.client')));
  const all = [...(await keyed('GET', `/api/workshops/${ws.id}/answers`)).json.answers, ...(await keyed('GET', `/api/workshops/${other.id}/answers`)).json.answers];
  assert.ok(!JSON.stringify(all).includes(secret));
  ws.pcode = code;
});

test('the facilitator erases the participant by the code, in the console', async () => {
  ({ page: consolePage } = await pages.newPage({ viewport: { width: 1280, height: 900 } }, 'console'));
  await consolePage.goto(`${server.url}/console`);
  await consolePage.getByLabel('Processledarnyckel').fill(server.key);
  await consolePage.getByRole('button', { name: 'Logga in' }).click();
  await consolePage.getByRole('link', { name: `Öppna ${ws.title}` }).click();
  await consolePage.getByRole('heading', { level: 1, name: ws.title }).waitFor(WAIT);
  await consolePage.getByRole('link', { name: 'Serie och rapport' }).click();
  await consolePage.locator('#data-state').filter({ hasText: 'Workshoppen är öppen' }).waitFor(WAIT);

  await consolePage.getByLabel('Deltagarkod').fill('ABC');
  await consolePage.getByRole('button', { name: 'Radera deltagarens svar' }).click();
  await consolePage.locator('#data-error').filter({ hasText: 'åtta bokstäver' }).waitFor(WAIT);
  await consolePage.getByLabel('Deltagarkod').fill(ws.pcode.toLowerCase());
  await consolePage.getByRole('button', { name: 'Radera deltagarens svar' }).click();
  await consolePage.locator('#data-state').filter({ hasText: 'Raderade 1 svar och 0 röster.' }).waitFor(WAIT);
  assert.deepEqual((await keyed('GET', `/api/workshops/${ws.id}/answers`)).json.answers, []);
  // The other workshop keeps that phone's answer there.
  assert.equal((await keyed('GET', `/api/workshops/${other.id}/answers`)).json.answers.length, 1);
});

test('closing the workshop: the phone is told it has ended; reopening brings the code back', async () => {
  await consolePage.getByRole('button', { name: 'Avsluta workshoppen' }).click();
  await consolePage.locator('#data-state').filter({ hasText: 'Workshoppen avslutades' }).waitFor(WAIT);
  await consolePage.getByRole('button', { name: 'Öppna workshoppen igen' }).waitFor(WAIT);
  assert.ok((await keyed('GET', `/api/workshops/${ws.id}`)).json.closed);

  pages.expectedError = /status of 410/;
  await phone.getByRole('button', { name: 'Byt workshop' }).click();
  await phone.getByLabel('Kod').fill(ws.code);
  await phone.getByRole('button', { name: 'Gå med' }).click();
  await phone.locator('#join-error').filter({ hasText: 'är avslutad' }).waitFor(WAIT);
  pages.expectedError = null;

  await consolePage.getByRole('button', { name: 'Öppna workshoppen igen' }).click();
  await consolePage.locator('#data-state').filter({ hasText: 'Workshoppen är öppen' }).waitFor(WAIT);
  await phone.getByRole('button', { name: 'Gå med' }).click();
  await phone.getByRole('heading', { level: 1, name: ws.title }).waitFor(WAIT);
});

test('deleting the workshop needs its name typed; then it is gone', async () => {
  await consolePage.getByLabel('Skriv workshoppens namn för att radera den').fill('Livscykel');
  await consolePage.getByRole('button', { name: 'Radera workshoppen med allt i den' }).click();
  await consolePage.locator('#data-error').filter({ hasText: 'exakt' }).waitFor(WAIT);
  assert.equal((await keyed('GET', `/api/workshops/${ws.id}`)).status, 200);
  await consolePage.getByLabel('Skriv workshoppens namn för att radera den').fill(ws.title);
  await consolePage.getByRole('button', { name: 'Radera workshoppen med allt i den' }).click();
  await consolePage.getByRole('link', { name: `Öppna ${other.title}` }).waitFor(WAIT);
  // The list is redrawn after the delete's reply: wait for the link to go, then it must be gone.
  await consolePage.getByRole('link', { name: `Öppna ${ws.title}` }).waitFor({ state: 'detached', ...WAIT });
  assert.equal(await consolePage.getByRole('link', { name: `Öppna ${ws.title}` }).count(), 0);
  assert.equal((await keyed('GET', `/api/workshops/${ws.id}`)).status, 404);
});

test('no console errors, page errors or CSP violations', () => {
  assert.deepEqual(pages.problems, []);
});
