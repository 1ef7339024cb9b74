// Sign-up (job seeker or counsellor), login by password or by emailed link, forgotten password,
// and starting as a guest.

import { post } from '../api.js';
import { goHome } from '../app.js';
import { h } from '../dom.js';
import { formAlert, onSubmit, passwordField, textField } from '../forms.js';
import { locale, t } from '../i18n.js';
import { save } from '../session.js';
import { success, title } from '../ui.js';

function value(form, name) {
  return form.elements[name].value.trim();
}

function signUp(ctx, role) {
  const form = h('form', {},
    formAlert(),
    textField({ name: 'first_name', label: t('auth.first-name'), autocomplete: 'given-name', required: true, maxlength: 60 }),
    textField({ name: 'email', label: t('auth.email'), type: 'email', autocomplete: 'email', inputmode: 'email', required: true, hint: t('auth.email-hint') }),
    passwordField({ label: t('auth.password'), hint: t('auth.password-hint'), autocomplete: 'new-password' }),
    h('p', { class: 'hint' }, t(role === 'counsellor' ? 'auth.consent-counsellor' : 'auth.consent')),
    h('button', { type: 'submit', class: 'button' }, t('auth.create')));
  onSubmit(form, async () => {
    const tokens = await post('/v1/auth/signup', {
      first_name: value(form, 'first_name'),
      email: value(form, 'email'),
      password: form.elements.password.value,
      locale: locale(),
      role,
    }, { auth: false });
    save(tokens);
    await goHome(ctx.query.get('next'));
  });
  return h('div', {},
    title(t(role === 'counsellor' ? 'auth.signup-counsellor-title' : 'auth.signup-title'), t(role === 'counsellor' ? 'auth.signup-counsellor-intro' : 'auth.signup-intro')),
    form,
    h('p', {}, t('auth.have-account'), ' ', h('a', { href: `/login${location.search}` }, t('auth.login-link'))),
    role !== 'counsellor' && h('p', {}, t('auth.no-email'), ' ', h('a', { href: '/guest' }, t('auth.guest-link'))));
}

function logIn(ctx) {
  const form = h('form', {},
    formAlert(),
    textField({ name: 'email', label: t('auth.email'), type: 'email', autocomplete: 'username', inputmode: 'email', required: true }),
    passwordField({ label: t('auth.password') }),
    h('button', { type: 'submit', class: 'button' }, t('auth.login')));
  onSubmit(form, async () => {
    save(await post('/v1/auth/login', { email: value(form, 'email'), password: form.elements.password.value }, { auth: false }));
    await goHome(ctx.query.get('next'));
  });
  return h('div', {},
    title(t('auth.login-title'), t('auth.login-intro')),
    form,
    h('ul', {},
      h('li', {}, h('a', { href: '/login/link' }, t('auth.by-link'))),
      h('li', {}, h('a', { href: '/login/forgotten' }, t('auth.forgotten'))),
      h('li', {}, h('a', { href: `/signup${location.search}` }, t('auth.no-account')))));
}

function emailLink(path, titleKey, introKey) {
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', {},
    formAlert(),
    textField({ name: 'email', label: t('auth.email'), type: 'email', autocomplete: 'email', inputmode: 'email', required: true }),
    h('button', { type: 'submit', class: 'button' }, t('auth.send-link')));
  onSubmit(form, async () => {
    await post(path, { email: value(form, 'email') }, { auth: false });
    status.replaceChildren(success(t('auth.link-sent')));
  });
  return h('div', {}, title(t(titleKey), t(introKey)), form, status,
    h('p', {}, h('a', { href: '/login' }, t('auth.back-to-login'))));
}

function guest(ctx) {
  // Without an address, the session kept on this device is the only way back: it is kept after the tab
  // closes, unless the person says the device is shared (a library, an agency).
  const form = h('form', {},
    formAlert(),
    textField({ name: 'first_name', label: t('auth.first-name'), autocomplete: 'given-name', required: true, maxlength: 60 }),
    h('div', { class: 'field' },
      h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'shared_device', 'aria-describedby': 'shared-device-hint' }), t('auth.guest-shared-device')),
      h('p', { class: 'hint', id: 'shared-device-hint' }, t('auth.guest-shared-device-hint'))),
    h('p', { class: 'hint' }, t('auth.consent')),
    h('button', { type: 'submit', class: 'button' }, t('auth.guest-start')));
  onSubmit(form, async () => {
    const tokens = await post('/v1/auth/guest', { first_name: value(form, 'first_name'), locale: locale() }, { auth: false });
    save(tokens, { guest: true, sharedDevice: form.elements.shared_device.checked });
    await goHome(ctx.query.get('next'));
  });
  return h('div', {}, title(t('auth.guest-title'), t('auth.guest-intro')), form,
    h('p', {}, h('a', { href: '/signup' }, t('auth.guest-prefer-account'))));
}

export function render(ctx) {
  switch (ctx.view) {
    case 'signup': return signUp(ctx, 'job-seeker');
    case 'signup-counsellor': return signUp(ctx, 'counsellor');
    case 'login': return logIn(ctx);
    case 'login-link': return emailLink('/v1/auth/login-link', 'auth.link-title', 'auth.link-intro');
    case 'forgotten': return emailLink('/v1/auth/password-reset', 'auth.forgotten-title', 'auth.forgotten-intro');
    default: return guest(ctx);
  }
}
