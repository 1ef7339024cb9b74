// Links from a sentence about the person to the question of "Mes réponses" that set the fact it
// states: whatever we say of someone, they can see where it comes from and change it.

import { h } from './dom.js';
import { t } from './i18n.js';
import { STEPS } from './pages/onboarding.js';

// Fields a sentence names that a question saves under another name.
const STEP_OF_FIELD = { rome_code: 'job', job_code_ogr: 'job', city_insee: 'city', departement: 'city' };

/** Return a link to the question of "My answers" that sets a field, or null when none does. */
export function questionLink(field) {
  const step = STEPS.find((s) => s.id === STEP_OF_FIELD[field] || s.field === field);
  if (!step) return null;
  return h('a', { href: `/onboarding/${step.id}?return=profile` }, t(`onboarding.${step.id}.question`));
}

/** Return the links to the questions behind some fields, separated by " · " (empty when none). */
export function answerLinks(fields) {
  const found = (fields || []).map(questionLink).filter(Boolean);
  return found.flatMap((link, i) => (i ? [' · ', link] : [link]));
}

/** Return " (d'après votre réponse à : …)" for the fields a sentence states, or null. */
export function basedOn(fields) {
  const links = answerLinks(fields);
  return links.length > 0 ? h('span', { class: 'meta' }, ' (', t('advice.based-on'), ' ', links, ')') : null;
}
