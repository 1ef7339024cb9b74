// Volunteers: pledge (with a new account or an existing one), the pledge and its state, the
// matches, and one help from the proposal to the feedback (accept, read the document, send the
// review or set the coffee, say it is done, rate it).

import { ApiError, get, post } from '../api.js';
import { autocompleteField } from '../autocomplete.js';
import { goHome } from '../app.js';
import { h, replace } from '../dom.js';
import { checked, choiceGroup, formAlert, localError, onSubmit, passwordField, selectField, textField } from '../forms.js';
import { formatDate, formatNumber, label, locale, t } from '../i18n.js';
import { contactSharing, downloadButton, feedbackForm, messages, reasons, scheduleForm, stepButton, uploadForm } from '../match-ui.js';
import { current, save } from '../session.js';
import { errorBlock, success, title } from '../ui.js';

const KINDS = ['cv-review', 'cover-letter-review', 'coffee-chat', 'mock-interview'];
// The helps that are a meeting (in person or remote, on a date): the meeting options apply to them.
const MEETINGS = new Set(['coffee-chat', 'mock-interview']);
const SLOTS = ['weekday-mornings', 'weekday-afternoons', 'weekday-evenings', 'weekends'];
const LANGUAGES = ['fr', 'en', 'es', 'ar', 'pt', 'de', 'it'];
const ENGAGED = new Set(['accepted', 'in-progress', 'completed']);

function pledgeFields() {
  const jobs = new Map(); // rome code -> label
  const jobList = h('ul', { 'aria-live': 'polite' });
  let coffeeCity = null;
  const drawJobs = () => replace(jobList, [...jobs].map(([code, name]) => h('li', {}, `${name} `,
    h('button', { type: 'button', class: 'button link small', on: { click: () => { jobs.delete(code); drawJobs(); } } },
      t('volunteer.remove-job', { job: name })))));
  const fields = [
    choiceGroup({ name: 'kinds', legend: t('volunteer.kinds'), multiple: true, options: KINDS.map((v) => ({ value: v, label: label('help-kind', v), hint: t(`volunteer.kind-hint.${v}`) })) }),
    selectField({ name: 'monthly_capacity', label: t('volunteer.capacity'), hint: t('volunteer.capacity-hint'), value: 2,
      options: Array.from({ length: 10 }, (_, i) => ({ value: i + 1, label: formatNumber(i + 1) })) }),
    h('div', { class: 'field', dataset: { field: 'job_groups' } },
      autocompleteField({ kind: 'job', name: 'job_search', label: t('volunteer.jobs'), hint: t('volunteer.jobs-hint'),
        onChoose: (item) => {
          if (!item) return;
          jobs.set(item.rome_code, item.label);
          drawJobs();
          const input = document.querySelector('input[name="job_search"]');
          input.value = '';
        } }),
      jobList),
    choiceGroup({ name: 'open_to_any_trade', legend: t('volunteer.any-trade'), multiple: true, options: [{ value: 'yes', label: t('volunteer.any-trade-yes') }] }),
    choiceGroup({ name: 'languages', legend: t('volunteer.languages'), multiple: true, value: ['fr'], options: LANGUAGES.map((v) => ({ value: v, label: label('language', v) })) }),
    h('fieldset', { class: 'field', dataset: { field: 'coffee' } },
      h('legend', {}, t('volunteer.meeting')),
      h('p', { class: 'hint' }, t('volunteer.meeting-hint')),
      h('div', { class: 'choices' },
        h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'coffee_remote', checked: true }), t('volunteer.coffee-remote')),
        h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'coffee_in_person' }), t('volunteer.coffee-in-person'))),
      autocompleteField({ kind: 'city', name: 'city_insee', label: t('volunteer.coffee-city'), onChoose: (item) => { coffeeCity = item && item.insee; } }),
      selectField({ name: 'max_distance_km', label: t('volunteer.coffee-distance'), value: 10, options: [5, 10, 20, 50].map((v) => ({ value: v, label: `${v} km` })) })),
    choiceGroup({ name: 'availability', legend: t('volunteer.availability'), hint: t('volunteer.availability-hint'), multiple: true,
      options: SLOTS.map((v) => ({ value: v, label: label('slot', v) })) }),
  ];
  const read = (form) => {
    const kinds = checked(form, 'kinds', { multiple: true });
    if (!kinds.length) throw localError('kinds', t('volunteer.pick-kind'));
    const pledge = {
      kinds,
      monthly_capacity: Number(form.elements.monthly_capacity.value),
      job_groups: [...jobs.keys()],
      open_to_any_trade: checked(form, 'open_to_any_trade', { multiple: true }).length > 0,
      languages: checked(form, 'languages', { multiple: true }),
      availability: checked(form, 'availability', { multiple: true }),
    };
    if (kinds.some((kind) => MEETINGS.has(kind))) {
      const inPerson = form.elements.coffee_in_person.checked;
      pledge.coffee = { remote: form.elements.coffee_remote.checked, in_person: inPerson, city_insee: inPerson ? coffeeCity : null,
        max_distance_km: Number(form.elements.max_distance_km.value) };
    }
    return pledge;
  };
  return { fields, read };
}

function join(ctx) {
  const who = current();
  const { fields, read } = pledgeFields();
  const form = h('form', {},
    formAlert(),
    !who && [
      textField({ name: 'first_name', label: t('auth.first-name'), autocomplete: 'given-name', hint: t('volunteer.first-name-hint') }),
      textField({ name: 'email', label: t('auth.email'), type: 'email', autocomplete: 'email', inputmode: 'email' }),
      passwordField({ label: t('auth.password'), hint: t('auth.password-hint'), autocomplete: 'new-password' }),
    ],
    fields,
    h('p', { class: 'hint' }, t('volunteer.promise')),
    h('button', { type: 'submit', class: 'button' }, t('volunteer.pledge')));
  onSubmit(form, async () => {
    const pledge = read(form);
    if (who) {
      await post('/v1/volunteers/me/pledge', pledge);
    } else {
      const signed = await post('/v1/volunteers/signup', {
        first_name: form.elements.first_name.value.trim(), email: form.elements.email.value.trim(),
        password: form.elements.password.value, locale: locale(), pledge,
      }, { auth: false });
      save(signed.tokens);
    }
    ctx.navigate('/volunteer?new=1', { replace: true });
  });
  return h('div', {}, title(t('volunteer.join-title'), t('volunteer.join-intro')),
    !who && h('p', {}, t('auth.have-account'), ' ', h('a', { href: '/login?next=/volunteers/join' }, t('auth.login-link'))),
    form);
}

async function pledgePage(ctx) {
  let pledge;
  try {
    pledge = await get('/v1/volunteers/me/pledge');
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && !error.routeMissing) {
      ctx.navigate('/volunteers/join', { replace: true });
      return h('div');
    }
    return h('div', {}, title(t('volunteer.pledge-title')), errorBlock(error));
  }
  const status = h('div', { 'aria-live': 'polite' });
  const rerender = () => ctx.rerender();
  const s = pledge.stats;
  return h('div', {},
    title(t('volunteer.pledge-title'), t('volunteer.hello', { name: pledge.first_name })),
    ctx.query.get('new') && success(t('volunteer.thanks')),
    h('p', { class: pledge.status === 'active' ? 'success' : 'notice' }, h('strong', {}, label('pledge-status', pledge.status)), ' — ', t(`volunteer.status-help.${pledge.status}`)),
    pledge.status === 'pending-confirmation' && h('p', {}, stepButton('/v1/volunteers/me/pledge/confirmation', 'volunteer.resend', async () => replace(status, success(t('volunteer.resent'))), 'button secondary')),
    status,
    h('section', { class: 'card' },
      h('h2', {}, t('volunteer.my-pledge')),
      h('ul', {},
        h('li', {}, t('volunteer.pledge-kinds', { kinds: pledge.kinds.map((k) => label('help-kind', k)).join(', ') })),
        h('li', {}, t('volunteer.pledge-capacity', { count: pledge.monthly_capacity })),
        h('li', {}, t('volunteer.pledge-load', { used: s.helps_this_month, left: s.remaining_this_month })),
        h('li', {}, t('volunteer.pledge-completed', { count: s.completed })),
        s.average_rating !== null && h('li', {}, t('volunteer.pledge-rating', { rating: formatNumber(s.average_rating, { maximumFractionDigits: 1 }), count: s.ratings })))),
    h('p', { class: 'actions' }, h('a', { class: 'button', href: '/volunteer/matches' }, t('nav.matches'))),
    h('section', {},
      h('h2', {}, t('volunteer.change')),
      h('div', { class: 'actions' },
        pledge.status === 'active' && stepButton('/v1/volunteers/me/pledge/pause', 'volunteer.pause', rerender, 'button secondary', {}),
        pledge.status === 'paused' && stepButton('/v1/volunteers/me/pledge/resume', 'volunteer.resume', rerender, 'button secondary'),
        ['active', 'paused', 'pending-confirmation'].includes(pledge.status) && stepButton('/v1/volunteers/me/pledge/withdraw', 'volunteer.withdraw', rerender, 'button link'))));
}

async function matchesPage() {
  let list;
  try { list = await get('/v1/volunteers/me/matches'); } catch (error) { return h('div', {}, title(t('volunteer.matches-title')), errorBlock(error)); }
  return h('div', {},
    title(t('volunteer.matches-title'), t('volunteer.matches-intro')),
    list.length
      ? h('ul', { class: 'cards' }, list.map((m) => h('li', { class: m.status === 'proposed' ? 'card highlight' : 'card' },
        h('h2', {}, h('a', { href: `/volunteer/matches/${m.match_id}` }, t('volunteer.match-title', { kind: label('help-kind', m.kind), name: m.seeker.first_name || t('volunteer.someone') }))),
        h('p', { class: 'meta' }, label('match-status', m.status), ' · ', t('volunteer.proposed-on', { date: formatDate(m.proposed_at) })))))
      : h('p', {}, t('volunteer.no-matches')));
}

function sharedFacts(seeker) {
  return h('ul', {},
    h('li', {}, t('volunteer.seeker-name', { name: seeker.first_name || t('volunteer.not-shared') })),
    seeker.job_group && h('li', {}, t('volunteer.seeker-job', { job: seeker.job_group.label })),
    seeker.city && h('li', {}, t('volunteer.seeker-city', { city: seeker.city.label })),
    seeker.languages.length > 0 && h('li', {}, t('volunteer.seeker-languages', { languages: seeker.languages.map((l) => label('language', l)).join(', ') })),
    seeker.availability.length > 0 && h('li', {}, t('volunteer.seeker-availability', { slots: seeker.availability.map((v) => label('slot', v)).join(', ') })),
    seeker.note && h('li', {}, t('volunteer.seeker-note', { note: seeker.note })));
}

async function matchPage(ctx) {
  const base = `/v1/volunteers/me/matches/${encodeURIComponent(ctx.params.id)}`;
  const box = h('div');
  const status = h('div', { 'aria-live': 'polite' });
  async function draw(m, message) {
    const isReview = !MEETINGS.has(m.kind);
    const live = ['accepted', 'in-progress'].includes(m.status);
    const parts = [
      h('p', {}, h('strong', {}, label('match-status', m.status)), m.respond_by && m.status === 'proposed' ? ` — ${t('volunteer.answer-by', { date: formatDate(m.respond_by) })}` : ''),
      h('section', { class: 'card' }, h('h2', {}, t('volunteer.what-shared')), sharedFacts(m.seeker), reasons(m.reasons)),
    ];
    if (m.status === 'proposed') {
      parts.push(h('div', { class: 'actions' },
        stepButton(`${base}/accept`, 'volunteer.accept', async (v) => draw(v, t('volunteer.accepted'))),
        stepButton(`${base}/decline`, 'volunteer.decline', async (v) => draw(v, t('volunteer.declined')), 'button secondary')));
    }
    if (isReview && m.document) parts.push(downloadButton(`${base}/documents/${m.document.document_id}`, m.document, 'volunteer.download'));
    if (isReview && live) {
      parts.push(m.review_document ? h('p', {}, t('volunteer.review-sent', { name: m.review_document.filename })) : null);
      parts.push(uploadForm(`${base}/review`, 'volunteer.review-file', async () => draw(await get(base), t('volunteer.review-received'))));
    }
    if (!isReview && live) parts.push(scheduleForm(base, async (v) => draw(v, t('help.coffee-saved')), m.kind));
    if (m.scheduled_at) parts.push(h('p', {}, t('help.coffee-on', { date: formatDate(m.scheduled_at, { dateStyle: 'full', timeStyle: 'short' }) })));
    if (live) parts.push(h('p', {}, stepButton(`${base}/complete`, 'help.complete', async (v) => draw(v, t('help.completed')))));
    if (m.status === 'completed' && !m.my_feedback) parts.push(h('section', {}, h('h2', {}, t('volunteer.feedback')), feedbackForm(base, async (v) => draw(v, t('help.feedback-thanks')))));
    if (m.my_feedback) parts.push(h('p', {}, t('help.your-rating', { rating: m.my_feedback.rating })));
    if (ENGAGED.has(m.status)) {
      parts.push(h('section', {}, h('h2', {}, t('help.contact')), contactSharing(base, m.contact, async (v) => draw(v))));
      parts.push(await messages(base));
    }
    replace(box, ...parts.filter(Boolean));
    replace(status, message ? success(message) : '');
  }
  try {
    const m = await get(base);
    await draw(m);
    return h('div', {}, title(t('volunteer.match-title', { kind: label('help-kind', m.kind), name: m.seeker.first_name || t('volunteer.someone') })),
      status, box, h('p', {}, h('a', { href: '/volunteer/matches' }, t('volunteer.all-matches'))));
  } catch (error) {
    return h('div', {}, title(t('volunteer.matches-title')), errorBlock(error));
  }
}

export async function render(ctx) {
  if (ctx.view === 'join') {
    if (current() && current().role === 'volunteer') { await goHome(); return h('div'); }
    return join(ctx);
  }
  if (ctx.view === 'pledge') return pledgePage(ctx);
  if (ctx.view === 'matches') return matchesPage();
  return matchPage(ctx);
}
