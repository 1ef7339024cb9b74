// The pages behind the links of our emails that work without logging in: choose how many emails
// to get (or none, or delete the account), and answer a survey. The signed token is in ?token=.

import { get, post } from '../api.js';
import { h, replace } from '../dom.js';
import { emailChangeText, emailOptions } from '../email-choices.js';
import { checked, choiceGroup, formAlert, localError, onSubmit, textField } from '../forms.js';
import { t } from '../i18n.js';
import { errorBlock, success, title } from '../ui.js';

async function unsubscribe(ctx) {
  const token = ctx.query.get('token') || '';
  let page;
  try { page = await get('/v1/emails/unsubscribe', { auth: false, query: { token } }); } catch (error) {
    return h('div', {}, title(t('emails.title')), errorBlock(error));
  }
  // The same choices, saying the same things, as in Settings: it is one setting.
  let current = page.coaching_email_frequency;
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', {},
    formAlert(),
    choiceGroup({ name: 'frequency', legend: t('emails.which'), hint: t('settings.emails-reminders'), value: current,
      options: emailOptions(true) }),
    h('button', { type: 'submit', class: 'button' }, t('action.save')));
  onSubmit(form, async () => {
    const choice = checked(form, 'frequency');
    if (!choice) throw localError('frequency', t('onboarding.please-answer'));
    const result = await post('/v1/emails/unsubscribe', { token, choice: 'frequency', frequency: choice }, { auth: false });
    replace(status, success(emailChangeText(current, result.coaching_email_frequency, true)));
    current = result.coaching_email_frequency;
  });
  const deleteForm = h('form', {},
    formAlert(),
    h('div', { class: 'field', dataset: { field: 'confirm' } },
      h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'confirm' }), t('settings.delete-understand'))),
    h('button', { type: 'submit', class: 'button danger' }, t('settings.delete-confirm')));
  onSubmit(deleteForm, async () => {
    await post('/v1/emails/unsubscribe', { token, choice: 'delete-account', confirm: deleteForm.elements.confirm.checked }, { auth: false });
    replace(deleteForm, success(t('settings.deleted')));
  });
  return h('div', {},
    title(t('emails.title'), t('emails.intro-choice')),
    form, status,
    h('details', {}, h('summary', {}, t('emails.delete-instead')), h('p', {}, t('settings.delete-warning')), deleteForm));
}

function question(q, answers) {
  const value = answers ? answers[q.field] : undefined;
  if (q.kind === 'text') {
    return textField({ name: q.field, label: q.label, type: 'textarea', optional: q.optional, value: value ?? '', maxlength: 1000 });
  }
  if (q.kind === 'boolean') {
    return choiceGroup({ name: q.field, legend: q.label, value: value === undefined ? null : String(value),
      options: [{ value: 'true', label: t('form.yes') }, { value: 'false', label: t('form.no') }] });
  }
  if (q.kind === 'scale') {
    const values = [];
    for (let v = q.minimum ?? 0; v <= (q.maximum ?? 10); v += 1) values.push(v);
    return choiceGroup({ name: q.field, legend: q.label, value, hint: t('emails.scale', { min: q.minimum ?? 0, max: q.maximum ?? 10 }),
      options: values.map((v) => ({ value: v, label: String(v) })) });
  }
  return choiceGroup({ name: q.field, legend: q.label, value, options: Object.entries(q.choices).map(([v, text]) => ({ value: v, label: text })) });
}

function readAnswers(form, questions) {
  const answers = {};
  for (const q of questions) {
    if (q.kind === 'text') {
      const text = form.elements[q.field].value.trim();
      if (text) answers[q.field] = text;
      continue;
    }
    const v = checked(form, q.field);
    if (v === null) {
      if (!q.optional) throw localError(q.field, t('onboarding.please-answer'));
      continue;
    }
    answers[q.field] = q.kind === 'boolean' ? v === 'true' : q.kind === 'scale' ? Number(v) : v;
  }
  return answers;
}

async function survey(ctx) {
  const token = ctx.query.get('token') || '';
  const kind = ctx.params.kind;
  let page;
  try { page = await get(`/v1/surveys/${encodeURIComponent(kind)}`, { auth: false, query: { token } }); } catch (error) {
    return h('div', {}, title(t('emails.survey')), errorBlock(error));
  }
  const done = h('div', { 'aria-live': 'polite' });
  const form = h('form', {},
    formAlert(),
    page.questions.map((q) => question(q, page.answers)),
    h('button', { type: 'submit', class: 'button' }, t(page.answered ? 'emails.change-answers' : 'emails.send-answers')));
  onSubmit(form, async () => {
    const recorded = await post(`/v1/surveys/${encodeURIComponent(kind)}`, { token, answers: readAnswers(form, page.questions) }, { auth: false });
    replace(done, success(recorded.thanks));
  });
  return h('div', {}, title(page.title, page.introduction), page.answered && h('p', { class: 'notice' }, t('emails.already')), form, done);
}

export async function render(ctx) {
  return ctx.view === 'survey' ? survey(ctx) : unsubscribe(ctx);
}
