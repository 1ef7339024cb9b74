// "My answers": every answer of the questionnaire, each with a link to change it.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { loadProfile } from '../profile-store.js';
import { title } from '../ui.js';
import { answersOf, answerText, STEPS } from './onboarding.js';

export async function render() {
  const profile = await loadProfile({ fresh: true });
  const answers = answersOf(profile);
  const steps = STEPS.filter((step) => !(step.skipIf && step.skipIf(answers)));
  return h('div', {},
    title(t('profile.title'), t('profile.intro')),
    h('dl', { class: 'answers' }, steps.map((step) => [
      h('dt', {}, t(`onboarding.${step.id}.question`)),
      h('dd', {}, answerText(step, answers), ' ',
        h('a', { href: `/onboarding/${step.id}?return=profile`, 'aria-label': t('profile.change-aria', { question: t(`onboarding.${step.id}.question`) }) }, t('profile.change'))),
    ])),
    h('p', { class: 'actions' }, h('a', { class: 'button', href: '/diagnosis' }, t('profile.to-diagnosis'))));
}
