// The welcome screen: what the coach does, and the ways in (account, guest, login, volunteering).

import { get } from '../api.js';
import { h } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { title } from '../ui.js';

export async function render() {
  const counters = h('div', { 'aria-live': 'polite' });
  get('/v1/volunteers/counters', { auth: false }).then((found) => {
    if (found.active_volunteers > 0) {
      counters.append(h('p', {}, t('welcome.volunteer-count', { count: found.active_volunteers, number: formatNumber(found.active_volunteers) })));
    }
  }).catch(() => { /* the counters are a bonus */ });
  return h('div', { class: 'welcome-hero' },
    title(t('welcome.title'), t('welcome.lead')),
    h('ul', { class: 'promises' },
      h('li', {}, t('welcome.promise-diagnosis')),
      h('li', {}, t('welcome.promise-plan')),
      h('li', {}, t('welcome.promise-volunteers')),
      h('li', {}, t('welcome.promise-free'))),
    h('div', { class: 'actions stack' },
      h('a', { class: 'button', href: '/signup' }, t('welcome.start')),
      h('a', { class: 'button secondary', href: '/guest' }, t('welcome.guest')),
      h('a', { class: 'button link', href: '/login' }, t('welcome.login'))),
    h('h2', {}, t('welcome.volunteer-title')),
    h('p', {}, t('welcome.volunteer-text')),
    counters,
    h('p', {}, h('a', { href: '/volunteers/join' }, t('welcome.volunteer-link'))),
    h('h2', {}, t('welcome.counsellor-title')),
    h('p', {}, t('welcome.counsellor-text'), ' ', h('a', { href: '/counsellor/join' }, t('welcome.counsellor-link'))));
}
