// Settings: pace, emails, language and tu/vous, consents, counsellor sharing, the account,
// "download my data" and "delete my account".

import { api, del, get, post, put } from '../api.js';
import { logOut } from '../app.js';
import { h, replace, uid } from '../dom.js';
import { emailChangeText, emailOptions, shownEmailChoice } from '../email-choices.js';
import { checked, choiceGroup, formAlert, localError, onSubmit, passwordField, textField } from '../forms.js';
import { formatDate, has, label, LOCALES, setLocale, t } from '../i18n.js';
import { stopAll } from '../live.js';
import { forgetProfile, loadProfile, saveProfile } from '../profile-store.js';
import { clear, current, save } from '../session.js';
import { errorBlock, success, title } from '../ui.js';

const PACES = ['PAUSE', 'ONE_TO_TWO', 'THREE_TO_FOUR', 'FIVE_OR_MORE'];
const OPTIONAL_CONSENTS = ['partner-events', 'research-statistics'];

function section(key, ...children) {
  const headingId = uid(key);
  return h('section', { class: 'card', 'aria-labelledby': headingId }, h('h2', { id: headingId }, t(`settings.${key}`)), children);
}

function preferences(profile, role) {
  const isSeeker = role === 'job-seeker';
  const getsEmails = isSeeker || role === 'volunteer'; // a counsellor only gets the emails they ask for
  const prefs = profile.preferences;
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', {},
    formAlert(),
    isSeeker && choiceGroup({ name: 'action_pace', legend: t('settings.pace'), hint: t('settings.pace-hint'), value: prefs.action_pace,
      options: PACES.map((v) => ({ value: v, label: label('pace', v), hint: v === 'PAUSE' ? t('enum.pace-hint.PAUSE') : null })) }),
    getsEmails && choiceGroup({ name: 'coaching_email_frequency', legend: t('settings.emails-which'),
      hint: isSeeker ? t('settings.emails-reminders') : null,
      value: shownEmailChoice(prefs.coaching_email_frequency, isSeeker), options: emailOptions(isSeeker) }),
    choiceGroup({ name: 'locale', legend: t('settings.language'), hint: t('settings.language-hint'), value: prefs.locale,
      options: LOCALES.map((v) => ({ value: v, label: t(`locale.${v}`) })) }),
    h('button', { type: 'submit', class: 'button' }, t('action.save')));
  onSubmit(form, async () => {
    const changes = { locale: checked(form, 'locale') };
    if (isSeeker) changes.action_pace = checked(form, 'action_pace');
    const shown = shownEmailChoice(prefs.coaching_email_frequency, isSeeker);
    const chosen = getsEmails ? checked(form, 'coaching_email_frequency') : shown;
    // Only a frequency the person changed is sent: a volunteer's stored "maximum" stays as it is.
    if (chosen !== shown) changes.coaching_email_frequency = chosen;
    const before = prefs.coaching_email_frequency;
    const saved = await saveProfile({ preferences: changes });
    if (changes.locale !== prefs.locale) {
      await setLocale(changes.locale); // redraws the page in the new language
      return;
    }
    replace(status, success(emailChangeText(before, saved.preferences.coaching_email_frequency, isSeeker)));
  });
  return section('preferences', form, status);
}

async function consents() {
  let found;
  try { found = await get('/v1/me/consents'); } catch (error) { return section('consents', errorBlock(error)); }
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', {},
    formAlert(),
    h('p', {}, t('settings.consent-coaching')),
    choiceGroup({ name: 'consents', legend: t('settings.consents-optional'), multiple: true,
      value: OPTIONAL_CONSENTS.filter((p) => found.current[p]),
      options: OPTIONAL_CONSENTS.map((p) => ({ value: p, label: t(`settings.consent.${p}`), hint: t(`settings.consent.${p}.hint`) })) }),
    h('button', { type: 'submit', class: 'button' }, t('action.save')));
  onSubmit(form, async () => {
    const wanted = new Set(checked(form, 'consents', { multiple: true }));
    for (const purpose of OPTIONAL_CONSENTS) {
      if (Boolean(found.current[purpose]) !== wanted.has(purpose)) {
        found = await put(`/v1/me/consents/${purpose}`, { granted: wanted.has(purpose) });
      }
    }
    replace(status, success(t('settings.saved')));
  });
  return section('consents', form, status,
    found.history.length > 0 && h('details', {}, h('summary', {}, t('settings.consent-history')),
      h('ul', {}, found.history.map((e) => h('li', {}, `${formatDate(e.at)} — ${t(`settings.consent.${e.purpose}`)} : ${t(e.granted ? 'settings.granted' : 'settings.withdrawn')}`)))));
}

async function counsellors() {
  const list = h('div');
  const invitation = h('div', { 'aria-live': 'polite' });
  async function refresh() {
    let people;
    try { people = await get('/v1/me/counsellors'); } catch (error) { replace(list, errorBlock(error)); return; }
    replace(list, people.length
      ? h('ul', {}, people.map((c) => h('li', {}, t('settings.counsellor-since', { name: c.first_name || t('settings.counsellor'), date: formatDate(c.since) }), ' ',
        h('button', { type: 'button', class: 'button secondary small', on: { click: async () => {
          await del(`/v1/me/counsellors/${c.counsellor_id}`);
          await refresh();
          replace(invitation, success(t('settings.counsellor-revoked')));
        } } }, t('settings.counsellor-revoke')))))
      : h('p', {}, t('settings.no-counsellor')));
  }
  await refresh();
  const invite = h('button', { type: 'button', class: 'button secondary', on: { click: async () => {
    try {
      const created = await post('/v1/me/counsellor-invitations');
      const inputId = uid('invitation');
      const input = h('input', { id: inputId, type: 'text', readonly: true, value: created.link });
      replace(invitation,
        h('label', { for: inputId }, t('settings.invitation-link')),
        h('div', { class: 'copy-row' }, input,
          h('button', { type: 'button', class: 'button small', on: { click: async (event) => {
            input.select();
            try { await navigator.clipboard.writeText(created.link); event.target.textContent = t('settings.copied'); } catch { /* selected: the person can copy */ }
          } } }, t('settings.copy'))),
        h('p', { class: 'hint' }, t('settings.invitation-expires', { date: formatDate(created.expires_at) })));
    } catch (error) {
      replace(invitation, errorBlock(error));
    }
  } } }, t('settings.invite'));
  return section('counsellors', h('p', {}, t('settings.counsellors-intro')), list, h('p', {}, invite), invitation);
}

function account(profile) {
  if (profile.is_guest) {
    const form = h('form', {},
      formAlert(),
      textField({ name: 'email', label: t('auth.email'), type: 'email', autocomplete: 'email', inputmode: 'email' }),
      passwordField({ label: t('auth.password'), hint: t('auth.password-hint'), autocomplete: 'new-password' }),
      h('button', { type: 'submit', class: 'button' }, t('settings.upgrade')));
    const status = h('div', { 'aria-live': 'polite' });
    onSubmit(form, async () => {
      save(await post('/v1/me/upgrade', { email: form.elements.email.value.trim(), password: form.elements.password.value }));
      await loadProfile({ fresh: true });
      replace(status, success(t('settings.upgraded')));
    });
    return section('account', h('p', {}, t('settings.guest-intro')), form, status);
  }
  const emailStatus = h('div', { 'aria-live': 'polite' });
  const emailForm = h('form', {},
    formAlert(),
    textField({ name: 'new_email', label: t('settings.new-email'), type: 'email', autocomplete: 'email', inputmode: 'email', hint: t('settings.current-email', { email: profile.email || '' }) }),
    h('button', { type: 'submit', class: 'button secondary' }, t('settings.change-email')));
  onSubmit(emailForm, async () => {
    await post('/v1/me/email', { new_email: emailForm.elements.new_email.value.trim() });
    replace(emailStatus, success(t('settings.email-sent')));
  });
  const passwordStatus = h('div', { 'aria-live': 'polite' });
  const passwordForm = h('form', {},
    formAlert(),
    passwordField({ name: 'current_password', label: t('settings.current-password') }),
    passwordField({ name: 'new_password', label: t('settings.new-password'), hint: t('auth.password-hint'), autocomplete: 'new-password' }),
    h('button', { type: 'submit', class: 'button secondary' }, t('settings.change-password')));
  onSubmit(passwordForm, async () => {
    await post('/v1/me/password', { current_password: passwordForm.elements.current_password.value, new_password: passwordForm.elements.new_password.value });
    passwordForm.reset();
    replace(passwordStatus, success(t('settings.password-changed')));
  });
  return section('account', emailForm, emailStatus, passwordForm, passwordStatus,
    h('p', {}, h('button', { type: 'button', class: 'button secondary', on: { click: logOut } }, t('nav.logout'))));
}

async function sentEmails() {
  let messages;
  try { messages = await get('/v1/me/emails'); } catch { return null; }
  if (!messages.length) return null;
  return section('sent-emails', h('ul', {}, messages.slice(0, 20).map((m) => h('li', {},
    `${formatDate(m.created_at)} — ${has(`enum.campaign.${m.campaign}`) ? label('campaign', m.campaign) : t('settings.email-generic')} — ${label('message-status', m.status)}`))));
}

function myData() {
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button secondary', on: { click: async () => {
    button.disabled = true;
    try {
      const response = await api('GET', '/v1/me/export', { raw: true });
      const blob = await response.blob();
      const link = h('a', { href: URL.createObjectURL(blob), download: `coach-export-${current().userId}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      replace(status, success(t('settings.export-done')));
    } catch (error) {
      replace(status, errorBlock(error));
    } finally {
      button.disabled = false;
    }
  } } }, t('settings.export'));
  return section('data', h('p', {}, t('settings.export-intro')), h('p', {}, button), status);
}

function deleteAccount() {
  const confirmBox = h('div', { hidden: true });
  const form = h('form', {},
    formAlert(),
    h('p', { class: 'alert' }, t('settings.delete-warning')),
    h('div', { class: 'field', dataset: { field: 'confirm' } },
      h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'confirm' }), t('settings.delete-understand'))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button danger' }, t('settings.delete-confirm')),
      h('button', { type: 'button', class: 'button secondary', on: { click: () => { confirmBox.hidden = true; opener.focus(); } } }, t('action.cancel'))));
  onSubmit(form, async () => {
    if (!form.elements.confirm.checked) throw localError('confirm', t('settings.delete-tick'));
    await del('/v1/me');
    stopAll();
    clear();
    forgetProfile();
    const main = document.getElementById('main');
    replace(main, h('h1', { tabindex: '-1' }, t('settings.deleted-title')), h('p', {}, t('settings.deleted')),
      h('p', {}, h('a', { class: 'button', href: '/' }, t('nav.home'))));
    document.title = t('settings.deleted-title');
    main.querySelector('h1').focus();
  });
  confirmBox.append(form);
  const opener = h('button', { type: 'button', class: 'button danger', 'aria-expanded': 'false', on: { click: () => {
    confirmBox.hidden = false;
    opener.setAttribute('aria-expanded', 'true');
    form.querySelector('input').focus();
  } } }, t('settings.delete'));
  return section('delete', h('p', {}, t('settings.delete-intro')), h('p', {}, opener), confirmBox);
}

export async function render() {
  const profile = await loadProfile({ fresh: true });
  const isSeeker = current().role === 'job-seeker';
  return h('div', {},
    title(t('settings.title')),
    preferences(profile, current().role),
    isSeeker && await consents(),
    isSeeker && await counsellors(),
    account(profile),
    isSeeker && await sentEmails(),
    myData(),
    deleteAccount());
}
