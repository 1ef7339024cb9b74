// Pieces of a help between a job seeker and a volunteer, shared by both sides' screens:
// documents, messages, contact sharing, the coffee date, "it's done" and the feedback.
// `base` is the API path of the help for this side (/v1/me/help-requests/{id} or
// /v1/volunteers/me/matches/{id}).

import { api, get, post, put } from './api.js';
import { h, replace, uid } from './dom.js';
import { checked, choiceGroup, formAlert, localError, onSubmit, textField } from './forms.js';
import { formatDate, language, t } from './i18n.js';
import { errorBlock, success } from './ui.js';

/** Return the reasons of a match in the reader's language. */
export function reasons(list) {
  if (!list || !list.length) return null;
  return h('details', {}, h('summary', {}, t('help.why-match')),
    h('ul', {}, list.map((r) => h('li', {}, language() === 'en' ? r.en : r.fr))));
}

/** Return a button that downloads a document of the help (the browser saves the file). */
export function downloadButton(path, file, labelKey) {
  const status = h('span', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button secondary', on: { click: async () => {
    button.disabled = true;
    try {
      const response = await api('GET', path, { raw: true });
      const link = h('a', { href: URL.createObjectURL(await response.blob()), download: file.filename });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (error) {
      replace(status, errorBlock(error));
    } finally {
      button.disabled = false;
    }
  } } }, t(labelKey, { name: file.filename }));
  return h('p', {}, button, status);
}

/** Return a form sending a PDF or DOCX file with PUT; onDone(answer) after the upload. */
export function uploadForm(path, labelKey, onDone) {
  const id = uid('file');
  const form = h('form', {},
    formAlert(),
    h('div', { class: 'field', dataset: { field: 'file' } },
      h('label', { for: id }, t(labelKey)),
      h('p', { class: 'hint', id: `${id}-hint` }, t('help.file-hint')),
      h('input', { id, name: 'file', type: 'file', accept: '.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'aria-describedby': `${id}-hint` })),
    h('button', { type: 'submit', class: 'button' }, t('help.send-file')));
  onSubmit(form, async () => {
    const file = form.elements.file.files[0];
    if (!file) throw localError('file', t('help.choose-file'));
    const data = new FormData();
    data.append('file', file, file.name);
    await onDone(await api('PUT', path, { form: data }));
  });
  return form;
}

/** Return the messages of the help and a form to write one. */
export async function messages(base) {
  const list = h('div');
  const headingId = uid('messages');
  async function refresh() {
    try {
      const found = await get(`${base}/messages`);
      replace(list, found.length
        ? found.map((m) => h('p', { class: m.from_me ? 'bubble mine' : 'bubble' },
          h('span', { class: 'visually-hidden' }, t(m.from_me ? 'help.from-me' : 'help.from-them')), m.body,
          h('span', { class: 'meta' }, ` — ${formatDate(m.sent_at, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })}`)))
        : h('p', { class: 'meta' }, t('help.no-messages')));
    } catch (error) {
      replace(list, errorBlock(error));
    }
  }
  await refresh();
  const form = h('form', {},
    formAlert(),
    textField({ name: 'body', label: t('help.message'), type: 'textarea', maxlength: 2000, hint: t('help.message-hint') }),
    h('button', { type: 'submit', class: 'button secondary' }, t('help.send')));
  onSubmit(form, async () => {
    await post(`${base}/messages`, { body: form.elements.body.value });
    form.reset();
    await refresh();
  });
  return h('section', { 'aria-labelledby': headingId }, h('h2', { id: headingId }, t('help.messages')), list, form);
}

/** Return the choice to share one's email with the other side (shown only when both accept). */
export function contactSharing(base, contact, onChange) {
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button secondary', 'aria-pressed': String(contact.mine), on: { click: async () => {
    try {
      await onChange(await put(`${base}/contact-sharing`, { share: !contact.mine }));
    } catch (error) {
      replace(status, errorBlock(error));
    }
  } } }, t('help.share-contact'));
  const shown = h('div');
  if (contact.mine && contact.theirs) {
    get(`${base}/contact`).then((c) => replace(shown, h('p', { class: 'success' }, t('help.their-contact', { name: c.first_name || '', email: c.email || '' }))))
      .catch((error) => replace(shown, errorBlock(error)));
  }
  return h('div', {}, h('p', {}, t(contact.theirs ? 'help.they-share' : 'help.they-do-not-share')), button, status, shown);
}

/** Return the form to set the date and time of a meeting (a coffee chat, or a mock interview). */
export function scheduleForm(base, onDone, kind = 'coffee-chat') {
  const form = h('form', {},
    formAlert(),
    textField({ name: 'at', label: t(kind === 'mock-interview' ? 'help.interview-when' : 'help.coffee-when'), type: 'datetime-local' }),
    h('button', { type: 'submit', class: 'button secondary' }, t('help.coffee-set')));
  onSubmit(form, async () => {
    const value = form.elements.at.value;
    if (!value) throw localError('at', t('help.coffee-pick'));
    await onDone(await post(`${base}/schedule`, { at: new Date(value).toISOString() }));
  });
  return form;
}

/** Return the form to rate the help from 1 to 5 with an optional comment. */
export function feedbackForm(base, onDone) {
  const form = h('form', {},
    formAlert(),
    choiceGroup({ name: 'rating', legend: t('help.rating'), options: [5, 4, 3, 2, 1].map((v) => ({ value: v, label: t(`help.rating.${v}`) })) }),
    textField({ name: 'comment', label: t('help.comment'), type: 'textarea', optional: true, maxlength: 1000 }),
    h('button', { type: 'submit', class: 'button' }, t('help.send-feedback')));
  onSubmit(form, async () => {
    const rating = checked(form, 'rating');
    if (!rating) throw localError('rating', t('help.rating-pick'));
    const comment = form.elements.comment.value.trim();
    await onDone(await post(`${base}/feedback`, { rating: Number(rating), comment: comment || null }));
  });
  return form;
}

/** Return a button that POSTs (with an optional JSON body) and then calls onDone(answer). */
export function stepButton(path, labelKey, onDone, className = 'button', body = undefined) {
  const status = h('span', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: className, on: { click: async () => {
    button.disabled = true;
    try {
      await onDone(await post(path, body));
    } catch (error) {
      replace(status, errorBlock(error));
      button.disabled = false;
    }
  } } }, t(labelKey));
  return h('span', {}, button, status);
}

export { success };
