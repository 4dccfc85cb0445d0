// i18n.js - every user-visible string of the three pages, in Swedish and English.
//
// Design: one flat table per language, looked up by key; markup names its
// strings with data-i18n (textContent) and data-i18n-attr ("attr:key,attr:key"),
// so switching language re-applies the table without reloading and code that
// builds elements calls t().  The choice is kept in localStorage and mirrored
// in <html lang>.  Swedish is the default: the workshops are Swedish.

const STRINGS = {
  sv: {
    'lang.switch': 'English',
    'lang.switchLang': 'en',
    'app.name': 'Inspel',
    'common.loading': 'Laddar…',
    'common.networkError': 'Kunde inte nå servern. Kontrollera nätverket och försök igen.',
    'common.error': 'Något gick fel: {msg}',
    'common.open': 'Öppen',
    'common.closed': 'Stängd',
    'stream.live': 'Live',
    'stream.reconnecting': 'Återansluter…',
    'stream.offline': 'Ingen uppkoppling',

    'join.title': 'Gå med i en dialog',
    'join.intro': 'Skriv koden som visas på skärmen, eller skanna QR-koden.',
    'join.code': 'Kod',
    'join.codeHint': 'Sex tecken, till exempel H7K2QX.',
    'join.submit': 'Gå med',
    'join.notFound': 'Ingen workshop har koden {code}. Kontrollera koden och försök igen.',
    'join.invalid': 'Koden ska vara sex bokstäver eller siffror.',
    'join.joining': 'Ansluter…',
    'join.offlineCached': 'Ingen kontakt med servern just nu; visar det som senast hämtades.',
    'about.title': 'Om dig (frivilligt)',
    'about.hint': 'Inget namn behövs. Bord och organisation följer med dina svar.',
    'about.group': 'Bord eller grupp',
    'about.org': 'Organisation',
    'about.orgNone': 'Vill inte ange',
    'ws.leave': 'Byt workshop',
    'ws.waiting': 'Ingen fråga är öppen just nu. Frågan visas här så fort processledaren öppnar den.',
    'q.answerLabel': 'Ditt svar',
    'q.send': 'Skicka',
    'q.closedNote': 'Frågan är stängd. Du kan inte skicka fler svar på den.',
    'q.yourAnswers': 'Dina svar',
    'q.empty': 'Skriv något innan du skickar.',
    'q.tooLong': 'Svaret får vara högst {max} tecken.',
    'a.sent': 'Skickat',
    'a.pending': 'Väntar på att skickas…',
    'a.failed': 'Kunde inte skickas: {reason}',
    'a.retry': 'Försök igen',
    'a.remove': 'Ta bort',
    'a.reason.closed': 'frågan är stängd',
    'a.reason.invalid': 'svaret godtogs inte ({msg})',
    'a.reason.other': '{msg}',
    'a.statusSent': 'Svaret ”{text}” är skickat.',
    'a.statusFailed': 'Svaret ”{text}” kunde inte skickas.',
    'a.outboxCount': 'Svar som väntar på att skickas: {n}. De finns kvar i telefonen tills de är skickade.',
    'storage.unavailable': 'Telefonen tillåter inte lagring; dina svar försvinner om sidan laddas om innan de är skickade.',

    'console.title': 'Processledarkonsol',
    'login.title': 'Logga in',
    'login.key': 'Processledarnyckel',
    'login.hint': 'Nyckeln skapas med kommandot inspel keys add. Den sparas bara i den här fliken.',
    'login.submit': 'Logga in',
    'login.wrong': 'Nyckeln godtogs inte. Kontrollera den och logga in igen.',
    'login.expired': 'Nyckeln gäller inte längre. Logga in igen.',
    'logout': 'Logga ut',
    'list.title': 'Workshoppar',
    'list.empty': 'Inga workshoppar ännu.',
    'list.new': 'Ny workshop',
    'list.colTitle': 'Titel',
    'list.colCode': 'Kod',
    'list.colCreated': 'Skapad',
    'list.colQuestions': 'Frågor',
    'list.colOpen': 'Öppna',
    'list.openBtn': 'Öppna',
    'list.openBtnLabel': 'Öppna {title}',
    'create.title': 'Ny workshop',
    'create.wsTitle': 'Titel',
    'create.source': 'Frågor',
    'create.template': 'Mallen Primärvård (fyra frågor från Värmlandsdialogen)',
    'create.custom': 'Egna frågor',
    'create.section': 'Avsnitt',
    'create.question': 'Fråga {n}',
    'create.removeQuestion': 'Ta bort fråga {n}',
    'create.addQuestion': 'Lägg till fråga',
    'create.orgs': 'Organisationer som deltagarna kan välja',
    'create.orgsHint': 'Lämna listan tom om deltagarna inte ska välja organisation.',
    'create.org': 'Organisation {n}',
    'create.removeOrg': 'Ta bort organisation {n}',
    'create.addOrg': 'Lägg till organisation',
    'create.submit': 'Skapa workshop',
    'create.cancel': 'Avbryt',
    'create.defaultSection': 'Dialog 1',
    'create.needTitle': 'Ange en titel.',
    'create.needQuestion': 'Lägg till minst en fråga med text.',
    'create.created': 'Workshoppen ”{title}” är skapad.',
    'ws.back': 'Alla workshoppar',
    'ws.code': 'Kod',
    'ws.joinUrl': 'Länk för deltagare',
    'ws.present': 'Öppna presentationsvyn',
    'ws.questions': 'Frågor',
    'ws.total': '{n} synliga svar totalt',
    'ws.counts': '{visible} svar, {hidden} dolda',
    'ws.openQ': 'Öppna fråga {n}',
    'ws.closeQ': 'Stäng fråga {n}',
    'ws.qOpened': 'Fråga {n} är öppen.',
    'ws.qClosed': 'Fråga {n} är stängd.',
    'ws.answers': 'Svar',
    'ws.noAnswers': 'Inga svar ännu.',
    'ws.hide': 'Dölj',
    'ws.unhide': 'Visa',
    'ws.hideLabel': 'Dölj svaret ”{text}”',
    'ws.unhideLabel': 'Visa svaret ”{text}” igen',
    'ws.hidden': 'Dolt',
    'ws.hiddenDone': 'Svaret är dolt.',
    'ws.unhiddenDone': 'Svaret visas igen.',
    'ws.noGroup': 'utan bord',
    'ws.notFound': 'Workshoppen finns inte.',
    'present.join': 'Gå med',
    'present.joinHint': 'Skanna QR-koden eller gå till',
    'present.code': 'Kod',
    'present.qr': 'QR-kod för att gå med',
    'present.answers': 'svar',
    'present.answersOne': 'svar',
    'present.noQuestion': 'Väntar på att en fråga öppnas…',
    'present.wall': 'Senaste svaren',
    'present.cloud': 'Ordmoln',
    'present.cloudEmpty': 'Orden från svaren visas här.',
    'present.wallEmpty': 'Inga svar ännu.',
    'present.closedTag': '(stängd)',
    'present.notFound': 'Workshoppen finns inte.',
  },
  en: {
    'lang.switch': 'Svenska',
    'lang.switchLang': 'sv',
    'app.name': 'Inspel',
    'common.loading': 'Loading…',
    'common.networkError': 'Could not reach the server. Check the network and try again.',
    'common.error': 'Something went wrong: {msg}',
    'common.open': 'Open',
    'common.closed': 'Closed',
    'stream.live': 'Live',
    'stream.reconnecting': 'Reconnecting…',
    'stream.offline': 'Offline',

    'join.title': 'Join a dialogue',
    'join.intro': 'Type the code shown on the screen, or scan the QR code.',
    'join.code': 'Code',
    'join.codeHint': 'Six characters, for example H7K2QX.',
    'join.submit': 'Join',
    'join.notFound': 'No workshop has the code {code}. Check the code and try again.',
    'join.invalid': 'The code is six letters or digits.',
    'join.joining': 'Joining…',
    'join.offlineCached': 'No contact with the server right now; showing what was last loaded.',
    'about.title': 'About you (optional)',
    'about.hint': 'No name needed. Your table and organisation go with your answers.',
    'about.group': 'Table or group',
    'about.org': 'Organisation',
    'about.orgNone': 'Prefer not to say',
    'ws.leave': 'Change workshop',
    'ws.waiting': 'No question is open right now. It appears here as soon as the facilitator opens it.',
    'q.answerLabel': 'Your answer',
    'q.send': 'Send',
    'q.closedNote': 'This question is closed. You cannot send more answers to it.',
    'q.yourAnswers': 'Your answers',
    'q.empty': 'Write something before sending.',
    'q.tooLong': 'An answer can be at most {max} characters.',
    'a.sent': 'Sent',
    'a.pending': 'Waiting to be sent…',
    'a.failed': 'Could not be sent: {reason}',
    'a.retry': 'Try again',
    'a.remove': 'Remove',
    'a.reason.closed': 'the question is closed',
    'a.reason.invalid': 'the answer was not accepted ({msg})',
    'a.reason.other': '{msg}',
    'a.statusSent': 'The answer “{text}” is sent.',
    'a.statusFailed': 'The answer “{text}” could not be sent.',
    'a.outboxCount': 'Answers waiting to be sent: {n}. They are kept on this phone until they are.',
    'storage.unavailable': 'This phone does not allow storage; your answers are lost if the page reloads before they are sent.',

    'console.title': 'Facilitator console',
    'login.title': 'Log in',
    'login.key': 'Facilitator key',
    'login.hint': 'The key is made with the command inspel keys add. It is kept only in this tab.',
    'login.submit': 'Log in',
    'login.wrong': 'The key was not accepted. Check it and log in again.',
    'login.expired': 'The key is no longer valid. Log in again.',
    'logout': 'Log out',
    'list.title': 'Workshops',
    'list.empty': 'No workshops yet.',
    'list.new': 'New workshop',
    'list.colTitle': 'Title',
    'list.colCode': 'Code',
    'list.colCreated': 'Created',
    'list.colQuestions': 'Questions',
    'list.colOpen': 'Open',
    'list.openBtn': 'Open',
    'list.openBtnLabel': 'Open {title}',
    'create.title': 'New workshop',
    'create.wsTitle': 'Title',
    'create.source': 'Questions',
    'create.template': 'The primary-care template (four questions from the Värmland dialogue)',
    'create.custom': 'My own questions',
    'create.section': 'Section',
    'create.question': 'Question {n}',
    'create.removeQuestion': 'Remove question {n}',
    'create.addQuestion': 'Add a question',
    'create.orgs': 'Organisations participants can choose',
    'create.orgsHint': 'Leave the list empty if participants should not choose an organisation.',
    'create.org': 'Organisation {n}',
    'create.removeOrg': 'Remove organisation {n}',
    'create.addOrg': 'Add an organisation',
    'create.submit': 'Create workshop',
    'create.cancel': 'Cancel',
    'create.defaultSection': 'Dialog 1',
    'create.needTitle': 'Give a title.',
    'create.needQuestion': 'Add at least one question with text.',
    'create.created': 'The workshop “{title}” was created.',
    'ws.back': 'All workshops',
    'ws.code': 'Code',
    'ws.joinUrl': 'Link for participants',
    'ws.present': 'Open the presenter screen',
    'ws.questions': 'Questions',
    'ws.total': '{n} visible answers in total',
    'ws.counts': '{visible} answers, {hidden} hidden',
    'ws.openQ': 'Open question {n}',
    'ws.closeQ': 'Close question {n}',
    'ws.qOpened': 'Question {n} is open.',
    'ws.qClosed': 'Question {n} is closed.',
    'ws.answers': 'Answers',
    'ws.noAnswers': 'No answers yet.',
    'ws.hide': 'Hide',
    'ws.unhide': 'Show',
    'ws.hideLabel': 'Hide the answer “{text}”',
    'ws.unhideLabel': 'Show the answer “{text}” again',
    'ws.hidden': 'Hidden',
    'ws.hiddenDone': 'The answer is hidden.',
    'ws.unhiddenDone': 'The answer is shown again.',
    'ws.noGroup': 'no table',
    'ws.notFound': 'The workshop does not exist.',
    'present.join': 'Join',
    'present.joinHint': 'Scan the QR code or go to',
    'present.code': 'Code',
    'present.qr': 'QR code to join',
    'present.answers': 'answers',
    'present.answersOne': 'answer',
    'present.noQuestion': 'Waiting for a question to open…',
    'present.wall': 'Latest answers',
    'present.cloud': 'Word cloud',
    'present.cloudEmpty': 'Words from the answers appear here.',
    'present.wallEmpty': 'No answers yet.',
    'present.closedTag': '(closed)',
    'present.notFound': 'The workshop does not exist.',
  },
};

const LANG_KEY = 'inspel.lang';
const listeners = [];

function storedLang() {
  try {
    const v = localStorage.getItem(LANG_KEY);
    return v && STRINGS[v] ? v : 'sv';
  } catch {
    return 'sv';
  }
}

let lang = storedLang();

// Returns the string for key with {name} placeholders filled from vars.
// A missing key is a programming error: it shows as the key itself so it is
// noticed on screen rather than hidden.
export function t(key, vars) {
  const s = STRINGS[lang][key] ?? STRINGS.sv[key] ?? key;
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

// Fills data-i18n / data-i18n-attr elements under root with the current language.
function applyI18n(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(',')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
  document.documentElement.lang = lang;
}

// Calls fn after every language change (pages re-render their dynamic parts).
export function onLangChange(fn) {
  listeners.push(fn);
}

function setLang(next) {
  if (!STRINGS[next] || next === lang) return;
  lang = next;
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // Private browsing may refuse storage; the switch still works for this page.
  }
  applyI18n();
  for (const fn of listeners) fn(lang);
}

// Wires a <button> to toggle between the two languages.  The button names the
// other language in that language ("English"), so it carries that lang.
export function mountLangSwitch(button) {
  const sync = () => button.setAttribute('lang', t('lang.switchLang'));
  button.addEventListener('click', () => setLang(lang === 'sv' ? 'en' : 'sv'));
  onLangChange(sync);
  applyI18n();
  sync();
}

// Locale-aware formatting of an ISO time as hours:minutes.
export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString(lang === 'sv' ? 'sv-SE' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
}

export function formatDate(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
