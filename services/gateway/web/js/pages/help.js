// The job seeker's side of volunteering: ask for a CV review, a cover-letter review, a coffee chat
// or a mock interview, choose what the volunteer will see, send the document, then follow the help.
// Cancelling a request is confirmed first: the volunteer found, and the document sent, would be lost.

import { get, post, put } from '../api.js';
import { h, replace } from '../dom.js';
import { checked, choiceGroup, formAlert, onSubmit, textField } from '../forms.js';
import { formatDate, label, t } from '../i18n.js';
import { contactSharing, downloadButton, feedbackForm, messages, reasons, scheduleForm, stepButton, uploadForm } from '../match-ui.js';
import { firstProject, loadProfile } from '../profile-store.js';
import { errorBlock, success, title } from '../ui.js';

const KINDS = ['cv-review', 'cover-letter-review', 'coffee-chat', 'mock-interview'];
// The helps that are a meeting (in person or remote, on a date), not a document sent back reviewed.
const MEETINGS = new Set(['coffee-chat', 'mock-interview']);
const SLOTS = ['weekday-mornings', 'weekday-afternoons', 'weekday-evenings', 'weekends'];
const ENGAGED = new Set(['accepted', 'in-progress', 'completed']);

function sharingFields(project, kind) {
  return [
    choiceGroup({ name: 'share', legend: t('help.share-what'), hint: t('help.share-hint'), multiple: true,
      value: ['first_name', 'job', 'city'],
      options: [
        { value: 'first_name', label: t('help.share-first-name') },
        project && project.rome_code && { value: 'job', label: t('help.share-job', { job: project.job_title || project.rome_code }) },
        project && project.city_insee && { value: 'city', label: t('help.share-city', { city: project.city_name || project.city_insee }) },
      ].filter(Boolean) }),
    (kind === null || MEETINGS.has(kind)) && choiceGroup({ name: 'meet', legend: t('help.meet'), multiple: true, value: ['in-person', 'remote'],
      options: [{ value: 'in-person', label: t('help.meet-in-person') }, { value: 'remote', label: t('help.meet-remote') }] }),
    choiceGroup({ name: 'availability', legend: t('help.availability'), hint: t('help.availability-hint'), multiple: true,
      options: SLOTS.map((v) => ({ value: v, label: label('slot', v) })) }),
    textField({ name: 'note', label: t('help.note'), type: 'textarea', optional: true, maxlength: 500, hint: t('help.note-hint') }),
  ];
}

function readSharing(form, project) {
  const share = new Set(checked(form, 'share', { multiple: true }));
  const meet = form.querySelector('input[name="meet"]') ? new Set(checked(form, 'meet', { multiple: true })) : new Set(['in-person', 'remote']);
  const note = form.elements.note.value.trim();
  return {
    share_first_name: share.has('first_name'),
    rome_code: share.has('job') ? project.rome_code : null,
    city_insee: share.has('city') ? project.city_insee : null,
    meet_in_person: meet.has('in-person') && share.has('city'),
    remote_ok: meet.has('remote'),
    availability: checked(form, 'availability', { multiple: true }),
    note: note || null,
  };
}

async function newRequest(ctx) {
  const project = firstProject(await loadProfile());
  const kind = KINDS.includes(ctx.query.get('kind')) ? ctx.query.get('kind') : null;
  const form = h('form', {},
    formAlert(),
    choiceGroup({ name: 'kind', legend: t('help.kind'), value: kind, options: KINDS.map((v) => ({ value: v, label: label('help-kind', v), hint: t(`help.kind-hint.${v}`) })) }),
    sharingFields(project, null),
    h('button', { type: 'submit', class: 'button' }, t('help.ask')));
  onSubmit(form, async () => {
    const created = await post('/v1/me/help-requests', { kind: checked(form, 'kind'), sharing: readSharing(form, project || {}) });
    ctx.navigate(`/help/${created.request_id}`, { replace: true });
  });
  return h('div', {}, title(t('help.new-title'), t('help.new-intro')), form);
}

async function list() {
  let requests;
  try { requests = await get('/v1/me/help-requests'); } catch (error) { return h('div', {}, title(t('help.title')), errorBlock(error)); }
  return h('div', {},
    title(t('help.title'), t('help.intro')),
    h('p', {}, h('a', { class: 'button', href: '/help/new' }, t('help.ask'))),
    requests.length
      ? h('ul', { class: 'cards' }, requests.map((r) => h('li', { class: 'card' },
        h('h2', {}, h('a', { href: `/help/${r.request_id}` }, label('help-kind', r.kind))),
        h('p', { class: 'meta' }, t('help.asked-on', { date: formatDate(r.created_at) }), ' · ', label('request-status', r.status)))))
      : h('p', {}, t('help.none')));
}

async function one(ctx) {
  const base = `/v1/me/help-requests/${encodeURIComponent(ctx.params.id)}`;
  const box = h('div');
  const status = h('div', { 'aria-live': 'polite' });
  const project = firstProject(await loadProfile());

  async function draw(view, message) {
    const match = view.match;
    const isReview = !MEETINGS.has(view.kind);
    const parts = [
      h('p', {}, h('strong', {}, label('request-status', view.status)), ' — ', t(`help.status-help.${view.status}`, {})),
    ];
    if (view.status === 'awaiting-sharing-choice') {
      const form = h('form', {}, formAlert(), sharingFields(project, view.kind), h('button', { type: 'submit', class: 'button' }, t('help.open-request')));
      onSubmit(form, async () => draw(await put(`${base}/sharing`, readSharing(form, project || {})), t('help.request-open')));
      parts.push(form);
    }
    if (isReview && !['cancelled', 'completed'].includes(view.status)) {
      parts.push(view.document
        ? h('p', {}, t('help.document-sent', { name: view.document.filename }))
        : h('div', { class: 'notice' }, h('p', {}, t('help.document-needed'))));
      parts.push(uploadForm(`${base}/document`, view.document ? 'help.replace-document' : 'help.document', async () => draw(await get(base), t('help.document-received'))));
    }
    if (match) {
      parts.push(h('section', { class: 'card' },
        h('h2', {}, match.volunteer_first_name ? t('help.your-volunteer', { name: match.volunteer_first_name }) : t('help.volunteer-asked')),
        h('p', {}, label('match-status', match.status)),
        reasons(match.reasons),
        match.scheduled_at && h('p', {}, t('help.coffee-on', { date: formatDate(match.scheduled_at, { dateStyle: 'full', timeStyle: 'short' }) })),
        match.review_document && downloadButton(`${base}/documents/${match.review_document.document_id}`, match.review_document, 'help.download-review'),
        !isReview && ['accepted', 'in-progress'].includes(match.status) && scheduleForm(base, async (v) => draw(v, t('help.coffee-saved')), view.kind),
        ['accepted', 'in-progress'].includes(match.status) && h('p', {}, stepButton(`${base}/complete`, 'help.complete', async (v) => draw(v, t('help.completed')))),
        match.status === 'completed' && !match.my_feedback && feedbackForm(base, async (v) => draw(v, t('help.feedback-thanks'))),
        match.my_feedback && h('p', {}, t('help.your-rating', { rating: match.my_feedback.rating })),
        ENGAGED.has(match.status) && contactSharing(base, match.contact, async (v) => draw(v)),
      ));
      if (ENGAGED.has(match.status)) parts.push(await messages(base));
    }
    if (['awaiting-sharing-choice', 'open', 'proposed', 'matched'].includes(view.status)) {
      parts.push(cancelling(view));
    }
    replace(box, ...parts);
    replace(status, message ? success(message) : '');
  }

  // "Cancel the request", then a confirmation that says what is lost; only that button cancels.
  function cancelling(view) {
    const box = h('div', { hidden: true },
      h('p', { class: 'alert' }, t(view.match ? 'help.cancel-warning-matched' : 'help.cancel-warning')),
      h('div', { class: 'actions' },
        stepButton(`${base}/cancel`, 'help.cancel-confirm', async (v) => draw(v, t('help.cancelled')), 'button danger'),
        h('button', { type: 'button', class: 'button secondary', on: { click: () => {
          box.hidden = true;
          opener.setAttribute('aria-expanded', 'false');
          opener.focus();
        } } }, t('help.cancel-keep'))));
    const opener = h('button', { type: 'button', class: 'button secondary', 'aria-expanded': 'false', on: { click: () => {
      box.hidden = false;
      opener.setAttribute('aria-expanded', 'true');
      box.querySelector('button.secondary').focus(); // the safe choice first
    } } }, t('help.cancel'));
    return h('div', {}, h('p', {}, opener), box);
  }

  try {
    const view = await get(base);
    await draw(view);
    return h('div', {}, title(label('help-kind', view.kind), t('help.asked-on', { date: formatDate(view.created_at) })), status, box,
      h('p', {}, h('a', { href: '/help' }, t('help.all'))));
  } catch (error) {
    return h('div', {}, title(t('help.title')), errorBlock(error));
  }
}

export async function render(ctx) {
  if (ctx.view === 'new') return newRequest(ctx);
  if (ctx.view === 'one') return one(ctx);
  return list();
}
