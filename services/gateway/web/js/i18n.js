// Texts: every word the client shows comes from i18n/*.json (flat keys, {placeholders}).
// "fr" says "vous", "fr@tu" says "tu" (fr-tu.json overrides only the sentences that address
// the person, the rest falls back to fr.json), "en" is English.

export const LOCALES = ['fr', 'fr@tu', 'en'];
const STORAGE_KEY = 'coach.locale';
const FILES = { fr: ['fr'], 'fr@tu': ['fr', 'fr-tu'], en: ['en'] };

let current = 'fr';
let messages = {};
const listeners = new Set();

async function load(name) {
  const response = await fetch(new URL(`../i18n/${name}.json`, import.meta.url));
  if (!response.ok) throw new Error(`i18n ${name}: ${response.status}`);
  return response.json();
}

/** Return the locale to start with: the one chosen before, else the browser's language (French first). */
export function initialLocale() {
  let saved = null;
  try { saved = localStorage.getItem(STORAGE_KEY); } catch { /* storage refused: use the browser's language */ }
  if (LOCALES.includes(saved)) return saved;
  const browser = (navigator.languages && navigator.languages[0]) || navigator.language || 'fr';
  return browser.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

/** Load a locale's texts and make it current; the page's lang attribute follows. */
export async function setLocale(locale) {
  const chosen = LOCALES.includes(locale) ? locale : 'fr';
  const parts = await Promise.all(FILES[chosen].map(load));
  messages = Object.assign({}, ...parts);
  current = chosen;
  try { localStorage.setItem(STORAGE_KEY, chosen); } catch { /* remembered for this page only */ }
  document.documentElement.lang = language();
  listeners.forEach((fn) => fn(chosen));
}

/** Return the current locale: fr, fr@tu or en. */
export function locale() { return current; }

/** Return the language code for HTML and Accept-Language: fr or en. */
export function language() { return current === 'en' ? 'en' : 'fr'; }

/** Call fn after each change of locale; return a function that stops it. */
export function onLocaleChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/** Return True when the current locale has a text for the key. */
export function hasText(key) { return key in messages; }

// [masculine|feminine] in a text about someone picks their grammatical gender. Without a known gender
// it reads the same default as the server's texts (shared/messages.py, docs/MESSAGES.md): "jugé·e" when
// one form extends the other, else "il / elle". (The server writes {masculine|feminine}; the client's
// files keep brackets until they move to the same syntax.)
const GENDERED = /\[([^[\]|]*)\|([^[\]|]*)\]/g;

function gendered(text, gender) {
  return text.replace(GENDERED, (match, masculine, feminine) => {
    if (gender === 'FEMININE') return feminine;
    if (gender === 'MASCULINE') return masculine;
    if (masculine === feminine) return masculine;
    if (masculine && feminine.startsWith(masculine)) return `${masculine}·${feminine.slice(masculine.length)}`;
    return `${masculine} / ${feminine}`;
  });
}

/**
 * Return the text of a key with its {placeholders} filled; {count} chooses between one/other forms,
 * {gender} (FEMININE, MASCULINE, anything else: both) the [masculine|feminine] forms.
 */
export function t(key, params = {}) {
  let text = messages[key];
  if (text === undefined) {
    console.warn(`missing text: ${key}`);
    return key;
  }
  if (typeof text === 'object') {
    const rule = new Intl.PluralRules(language()).select(Number(params.count ?? 0));
    text = text[rule] ?? text.other;
  }
  if ('gender' in params) text = gendered(text, params.gender);
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** Return true when a key exists (for optional texts such as enum labels). */
export function has(key) { return key in messages; }

/** Return the label of an enum value, e.g. label('degree', 'CAP_BEP'). */
export function label(kind, value) {
  return has(`enum.${kind}.${value}`) ? t(`enum.${kind}.${value}`) : String(value);
}

/** Return a number written the local way. */
export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(language() === 'en' ? 'en-GB' : 'fr-FR', options).format(value);
}

/** Return a date (a Date or an ISO text) written the local way. */
export function formatDate(value, options = { day: 'numeric', month: 'long', year: 'numeric' }) {
  const date = typeof value === 'string' && value.length === 10 ? new Date(`${value}T12:00:00`) : new Date(value);
  return new Intl.DateTimeFormat(language() === 'en' ? 'en-GB' : 'fr-FR', options).format(date);
}

/** Return the name of a month (1-12). */
export function monthName(month, style = 'long') {
  return formatDate(new Date(2025, month - 1, 15), { month: style });
}
