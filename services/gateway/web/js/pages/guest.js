// A guest's two screens: keep my answers (add an email and a password: the account stays the same,
// nothing is lost), and logging out, which for a guest means losing everything: it is said plainly,
// with the way to keep the answers first.

import { post } from '../api.js';
import { logOut } from '../app.js';
import { h } from '../dom.js';
import { formAlert, onSubmit, passwordField, textField } from '../forms.js';
import { t } from '../i18n.js';
import { loadProfile } from '../profile-store.js';
import { current, isGuest, save } from '../session.js';
import { success, title } from '../ui.js';

function keep(ctx) {
  if (!isGuest()) {
    return h('div', {}, title(t('guest.keep-title')), success(t('guest.kept')),
      h('p', {}, h('a', { class: 'button', href: '/diagnosis' }, t('guest.continue'))));
  }
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', {},
    formAlert(),
    textField({ name: 'email', label: t('auth.email'), type: 'email', autocomplete: 'email', inputmode: 'email', required: true, hint: t('auth.email-hint') }),
    passwordField({ label: t('auth.password'), hint: t('auth.password-hint'), autocomplete: 'new-password' }),
    h('button', { type: 'submit', class: 'button' }, t('guest.keep-button')));
  onSubmit(form, async () => {
    save(await post('/v1/me/upgrade', { email: form.elements.email.value.trim(), password: form.elements.password.value }));
    await loadProfile({ fresh: true });
    form.replaceWith(h('div', {}, success(t('guest.kept')),
      h('p', {}, h('a', { class: 'button', href: ctx.query.get('then') === 'logout' ? '/guest/leave' : '/diagnosis' },
        t(ctx.query.get('then') === 'logout' ? 'guest.then-logout' : 'guest.continue')))));
  });
  return h('div', {},
    title(t('guest.keep-title'), t('guest.keep-intro')),
    h('ul', {}, h('li', {}, t('guest.keep-same')), h('li', {}, t('guest.keep-anywhere')), h('li', {}, t('guest.keep-no-spam'))),
    form, status,
    h('p', {}, h('a', { href: '/diagnosis' }, t('guest.not-now'))));
}

function leave() {
  if (!current()) return h('div', {}, title(t('guest.leave-title')), h('p', {}, h('a', { class: 'button', href: '/' }, t('nav.home'))));
  if (!isGuest()) {
    return h('div', {}, title(t('guest.leave-title')),
      h('p', { class: 'actions' },
        h('button', { type: 'button', class: 'button', on: { click: () => logOut({ confirmed: true }) } }, t('nav.logout')),
        h('a', { class: 'button secondary', href: '/' }, t('action.cancel'))));
  }
  return h('div', {},
    title(t('guest.leave-title')),
    h('div', { class: 'alert' },
      h('p', {}, h('strong', {}, t('guest.leave-warning'))),
      h('p', {}, t('guest.leave-why'))),
    h('div', { class: 'actions stack' },
      h('a', { class: 'button', href: '/guest/keep?then=logout' }, t('guest.leave-keep-first')),
      h('button', { type: 'button', class: 'button danger', on: { click: () => logOut({ confirmed: true }) } }, t('guest.leave-anyway')),
      h('a', { class: 'button secondary', href: '/' }, t('guest.leave-stay'))));
}

export async function render(ctx) {
  return ctx.view === 'leave' ? leave() : keep(ctx);
}
