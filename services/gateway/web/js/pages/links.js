// The pages behind the links we email: the token is in the URL fragment (#...), which browsers
// never send to a server, so it cannot leak into logs; it is read here, then removed from the URL.

import { ApiError, post } from '../api.js';
import { goHome, logOut } from '../app.js';
import { h } from '../dom.js';
import { formAlert, onSubmit, passwordField } from '../forms.js';
import { t } from '../i18n.js';
import { clear, current, save, tabStore } from '../session.js';
import { loading, success, title } from '../ui.js';

const INVITATION_KEY = 'coach.invitation';

function takeToken(ctx) {
  if (ctx.hash) history.replaceState(null, '', location.pathname + location.search);
  return ctx.hash;
}

function failed(error, retryHref, retryKey) {
  return h('div', {},
    title(t('links.expired-title')),
    h('p', { class: 'alert', role: 'alert' }, error instanceof ApiError ? error.text() : t('error.generic')),
    h('p', {}, h('a', { class: 'button', href: retryHref }, t(retryKey))));
}

async function loginLink(ctx) {
  const token = takeToken(ctx);
  try {
    save(await post('/v1/auth/login-link/redeem', { token }, { auth: false }));
  } catch (error) {
    return failed(error, '/login/link', 'links.new-link');
  }
  await goHome();
  return loading();
}

function resetPassword(ctx) {
  const token = takeToken(ctx);
  const form = h('form', {},
    formAlert(),
    passwordField({ label: t('links.new-password'), hint: t('auth.password-hint'), autocomplete: 'new-password' }),
    h('button', { type: 'submit', class: 'button' }, t('links.save-password')));
  onSubmit(form, async () => {
    save(await post('/v1/auth/password-reset/confirm', { token, password: form.elements.password.value }, { auth: false }));
    await goHome();
  });
  return h('div', {}, title(t('links.reset-title'), t('links.reset-intro')), form,
    h('p', {}, h('a', { href: '/login/forgotten' }, t('links.new-link'))));
}

async function confirmEmail(ctx) {
  const token = takeToken(ctx);
  try {
    await post('/v1/auth/email-change/confirm', { token }, { auth: false });
  } catch (error) {
    return failed(error, '/settings', 'links.to-settings');
  }
  clear(); // every session ends with the change of address
  return h('div', {}, title(t('links.email-confirmed-title')), success(t('links.email-confirmed')),
    h('p', {}, h('a', { class: 'button', href: '/login' }, t('auth.login'))));
}

async function counsellor(ctx) {
  const token = takeToken(ctx) || tabStore.get(INVITATION_KEY);
  if (!token) return failed(null, '/', 'nav.home');
  const who = current();
  if (!who) {
    // Keep the invitation while the counsellor logs in or creates an account, then come back here.
    tabStore.set(INVITATION_KEY, token);
    return h('div', {}, title(t('links.counsellor-title'), t('links.counsellor-login')),
      h('div', { class: 'actions stack' },
        h('a', { class: 'button', href: '/login?next=/link/counsellor' }, t('auth.login')),
        h('a', { class: 'button secondary', href: '/counsellor/join?next=/link/counsellor' }, t('links.counsellor-create'))));
  }
  if (who.role !== 'counsellor') {
    tabStore.set(INVITATION_KEY, token);
    return h('div', {}, title(t('links.counsellor-title')),
      h('p', { class: 'notice' }, t('links.counsellor-wrong-role')),
      h('button', { type: 'button', class: 'button', on: { click: logOut } }, t('nav.logout')));
  }
  try {
    const link = await post('/v1/counsellor/invitations/accept', { token });
    tabStore.remove(INVITATION_KEY);
    return h('div', {}, title(t('links.counsellor-title')),
      success(t('links.counsellor-accepted', { name: link.first_name || '' })),
      h('p', {}, h('a', { class: 'button', href: `/counsellor/people/${link.user_id}` }, t('links.counsellor-open'))));
  } catch (error) {
    tabStore.remove(INVITATION_KEY);
    return failed(error, '/counsellor', 'nav.people');
  }
}

async function volunteerConfirm(ctx) {
  const token = takeToken(ctx);
  try {
    await post('/v1/volunteers/confirm', { token }, { auth: false });
  } catch (error) {
    return failed(error, '/volunteer', 'nav.pledge');
  }
  return h('div', {}, title(t('links.volunteer-title')), success(t('links.volunteer-confirmed')),
    h('p', {}, h('a', { class: 'button', href: '/volunteer' }, t('nav.pledge'))));
}

export async function render(ctx) {
  switch (ctx.view) {
    case 'login': return loginLink(ctx);
    case 'reset-password': return resetPassword(ctx);
    case 'confirm-email': return confirmEmail(ctx);
    case 'counsellor': return counsellor(ctx);
    default: return volunteerConfirm(ctx);
  }
}
