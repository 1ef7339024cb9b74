// Small pieces shared by the screens: headings, waiting states, data-source tags, stars.

import { ApiError } from './api.js';
import { h } from './dom.js';
import { hasText, t } from './i18n.js';

/** Return the page heading (the router focuses it after each navigation). */
export function title(text, intro) {
  return [h('h1', { tabindex: '-1' }, text), intro && h('p', { class: 'lead' }, intro)];
}

/** Return a "please wait" line announced to screen readers. */
export function loading(text = t('state.loading')) {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', {}, text));
}

/** Return the tag telling where a figure comes from: official data, an estimate, or the person's answer. */
export function sourceTag(source) {
  const provenance = source.is_estimate ? 'synthetic' : source.provenance;
  const kind = { synthetic: 'estimate', real: 'real', declared: 'declared' }[provenance] || 'real';
  return h('span', { class: `tag ${kind}` }, t(`source.${provenance}`, {}));
}

/** Return a source named in plain words, in the page's language ("Répertoire ROME de France Travail,
 * version 3.47"): never a dataset code, a file name or a licence (the attribution the licence asks for is
 * the producer's name, which the text gives). An unknown dataset falls back to its attribution line. */
export function sourceName(source) {
  if (source.provenance === 'declared') return t('source.your-answers');
  const [name, version = ''] = String(source.dataset || '').split('@');
  const key = `dataset.${name}`;
  return hasText(key) ? t(key, { version: version.replace(/^v/, '') }) : (source.attribution || '');
}

/** Return the list of sources behind an observation or a figure, named in plain words. */
export function sources(list) {
  if (!list || !list.length) return null;
  return h('ul', { class: 'meta' }, list.map((source) => h('li', {}, sourceTag(source), ' ', sourceName(source))));
}

/** Return stars (★★☆) with a text for screen readers ("2 stars out of 3"). */
export function stars(count, max = 3) {
  return h('span', { class: 'stars', role: 'img', 'aria-label': t('advice.stars', { count, max }) },
    '★'.repeat(count) + '☆'.repeat(Math.max(0, max - count)));
}

/** Return a kind message for a part of the service that does not answer yet (route not deployed). */
export function comingSoon(what) {
  return h('div', { class: 'notice', role: 'status' }, h('p', {}, t('error.coming-soon')), what && h('p', {}, what));
}

/** Return the message block for an error while loading a part of a screen. */
export function errorBlock(error) {
  if (error instanceof ApiError && error.routeMissing) return comingSoon();
  return h('p', { class: 'alert', role: 'alert' }, error instanceof ApiError ? error.text() : t('error.generic'));
}

/** Return a success message that screen readers announce. */
export function success(text) {
  return h('p', { class: 'success', role: 'status' }, text);
}

/** Return an external link, opening in a new tab, saying so. */
export function externalLink(href, text) {
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, text, h('span', { class: 'visually-hidden' }, ` ${t('link.new-tab')}`), ' ↗');
}
