// The questionnaire: one question per screen, saved as soon as it is answered (so nothing is lost
// if the phone goes to sleep), each with a short "why we ask", a skip on optional questions, and
// quick facts about the local market once the job and the city are known.

import { get } from '../api.js';
import { autocompleteField } from '../autocomplete.js';
import { h, uid } from '../dom.js';
import { ENDPOINTS } from '../endpoints.js';
import { checked, formAlert, localError, onSubmit } from '../forms.js';
import { label, monthName, t } from '../i18n.js';
import { firstProject, loadProfile, saveProfile, saveProject } from '../profile-store.js';
import { sourceTag, title } from '../ui.js';

const FREQUENCY = ['LESS_THAN_2', 'SOME', 'DECENT_AMOUNT', 'A_LOT'];
const FRUSTRATIONS = ['NO_OFFERS', 'NO_OFFER_ANSWERS', 'RESUME', 'INTERVIEW', 'TRAINING', 'MOTIVATION', 'TIME_MANAGEMENT',
  'EXPERIENCE', 'SELF_CONFIDENCE', 'AGE_DISCRIMINATION', 'SEX_DISCRIMINATION', 'ATYPIC_PROFILE', 'CHILD_CARE', 'LANGUAGE',
  'FOREIGN_QUALIFICATIONS'];
const CHALLENGES = ['undefined-project', 'stuck-market', 'find-what-you-like', 'missing-diploma', 'start-your-search',
  'enhance-methods-to-interview', 'bravo'];

// target: where the answer is saved (the first project, the personal profile, or the preferences).
export const STEPS = [
  { id: 'job', target: 'project', type: 'job', field: 'job_code_ogr' },
  { id: 'city', target: 'project', type: 'city', field: 'city_insee' },
  { id: 'kind', target: 'project', field: 'kind', options: ['FIND_A_NEW_JOB', 'FIND_ANOTHER_JOB', 'FIND_A_FIRST_JOB', 'REORIENTATION', 'CREATE_OR_TAKE_OVER_COMPANY'] },
  { id: 'experience', target: 'project', field: 'previous_job_similarity', options: ['DONE_THIS', 'DONE_SIMILAR', 'NEVER_DONE'] },
  { id: 'seniority', target: 'project', field: 'seniority',
    // "No experience" is a true answer (a similar job, studies): it is offered, not implied.
    options: ['NO_SENIORITY', 'INTERN', 'JUNIOR', 'INTERMEDIARY', 'SENIOR', 'EXPERT', 'CARREER'],
    skipIf: (answers) => answers.previous_job_similarity === 'NEVER_DONE' },
  { id: 'search', target: 'project', type: 'search', field: 'job_search_started_at' },
  { id: 'applications', target: 'project', field: 'weekly_applications_estimate', options: FREQUENCY },
  { id: 'interviews', target: 'project', type: 'number', field: 'total_interview_count', min: 0, max: 1000 },
  { id: 'offers', target: 'project', field: 'weekly_offers_estimate', options: FREQUENCY },
  { id: 'network', target: 'project', field: 'network_estimate', options: [1, 2, 3, -1], numeric: true },
  { id: 'passion', target: 'project', field: 'passionate_level', options: ['ALIMENTARY', 'LIKEABLE', 'PASSIONATING', 'LIFE_GOAL'] },
  { id: 'training', target: 'project', field: 'training_fulfillment_estimate',
    options: ['ENOUGH_DIPLOMAS', 'ENOUGH_EXPERIENCE', 'CURRENTLY_IN_TRAINING', 'NO_TRAINING_REQUIRED', 'TRAINING_FULFILLMENT_NOT_SURE'] },
  { id: 'mobility', target: 'project', field: 'area_type', options: ['CITY', 'DEPARTEMENT', 'REGION', 'COUNTRY'] },
  { id: 'contracts', target: 'project', field: 'employment_types', multiple: true, optional: true,
    options: ['CDI', 'CDD_OVER_3_MONTHS', 'CDD_LESS_EQUAL_3_MONTHS', 'INTERIM', 'APPRENTICESHIP', 'ANY_CONTRACT'] },
  { id: 'resume', target: 'project', field: 'has_resume', type: 'yes-no', optional: true },
  { id: 'birth', target: 'profile', type: 'year', field: 'year_of_birth' },
  { id: 'degree', target: 'profile', field: 'highest_degree',
    options: ['NO_DEGREE', 'CAP_BEP', 'BAC_BACPRO', 'BTS_DUT_DEUG', 'LICENCE_MAITRISE', 'DEA_DESS_MASTER_PHD'] },
  { id: 'frustrations', target: 'profile', field: 'frustrations', multiple: true, optional: true, options: FRUSTRATIONS },
  { id: 'gender', target: 'profile', field: 'gender', optional: true, options: ['FEMININE', 'MASCULINE', 'UNKNOWN'] },
  { id: 'self', target: 'project', field: 'original_self_diagnostic', optional: true, options: CHALLENGES },
  { id: 'pace', target: 'preferences', field: 'action_pace', options: ['ONE_TO_TWO', 'THREE_TO_FOUR', 'FIVE_OR_MORE'] },
];

/** Return every answer in one flat object (project, profile and preferences fields). */
export function answersOf(profile) {
  return { ...profile.preferences, ...profile.profile, ...(firstProject(profile) || {}) };
}

/** Return true when the step has an answer. */
export function answered(step, answers) {
  if (step.type === 'search') return Boolean(answers.job_search_has_not_started || answers.job_search_started_at);
  if (step.type === 'job') return Boolean(answers.rome_code);
  const value = answers[step.field];
  return value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0);
}

function visibleSteps(answers) {
  return STEPS.filter((step) => !(step.skipIf && step.skipIf(answers)));
}

/** Return the text of an answer, for the summary of answers. */
export function answerText(step, answers) {
  if (!answered(step, answers)) return t('profile.no-answer');
  const value = answers[step.field];
  switch (step.type) {
    case 'job': return answers.job_title || answers.rome_code;
    case 'city': return answers.city_name || answers.city_insee;
    case 'search': return answers.job_search_has_not_started
      ? t('onboarding.search.not-started')
      : t('onboarding.search.since', { month: monthName(Number(answers.job_search_started_at.slice(5, 7))), year: answers.job_search_started_at.slice(0, 4) });
    case 'yes-no': return t(value ? 'form.yes' : 'form.no');
    case 'number': case 'year': return String(value);
    default: return (Array.isArray(value) ? value : [value]).map((v) => label(step.id, v)).join(', ');
  }
}

// --- Market hints ---------------------------------------------------------------------------------

const hintsCache = new Map();

function hintsAside(answers) {
  if (!answers.rome_code || !answers.departement) return null;
  const key = `${answers.rome_code}/${answers.departement}`;
  const headingId = uid('hints');
  const aside = h('aside', { class: 'card hints', 'aria-labelledby': headingId, hidden: true },
    h('h2', { id: headingId }, t('onboarding.hints-title', { job: answers.job_title || '', place: answers.city_name || '' })));
  if (!hintsCache.has(key)) hintsCache.set(key, get(ENDPOINTS.hints(answers.rome_code, answers.departement)).catch(() => null));
  hintsCache.get(key).then((found) => {
    if (!found || !found.hints || !found.hints.length) return;
    aside.append(h('ul', {}, found.hints.map((hint) => h('li', {}, hint.text, ' ', sourceTag(hint)))));
    aside.hidden = false;
  });
  return aside;
}

// --- One question ---------------------------------------------------------------------------------

function questionInput(step, answers, headingId, state) {
  const value = answers[step.field];
  switch (step.type) {
    case 'job':
      return autocompleteField({
        kind: 'job', name: 'job_code_ogr', label: t('onboarding.job.label'), value: answers.job_title || '',
        onChoose: (item) => { state.choice = item && { job_code_ogr: item.code_ogr, rome_code: item.rome_code }; },
      });
    case 'city':
      return autocompleteField({
        kind: 'city', name: 'city_insee', label: t('onboarding.city.label'), value: answers.city_name || '',
        onChoose: (item) => { state.choice = item && { city_insee: item.insee }; },
      });
    case 'search': {
      const started = answers.job_search_started_at;
      const thisYear = new Date().getFullYear();
      const months = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: monthName(i + 1) }));
      const years = Array.from({ length: 11 }, (_, i) => thisYear - i);
      const monthId = uid('month');
      const yearId = uid('year');
      return h('div', {},
        h('fieldset', { class: 'field', dataset: { field: 'job_search_has_not_started' }, 'aria-labelledby': headingId },
          h('div', { class: 'choices' },
            h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'started', value: 'no', checked: answers.job_search_has_not_started === true }), t('onboarding.search.not-started')),
            h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'started', value: 'yes', checked: Boolean(started) }), t('onboarding.search.started')))),
        h('div', { class: 'field', dataset: { field: 'job_search_started_at' } },
          h('p', { class: 'label' }, t('onboarding.search.since-when')),
          h('label', { for: monthId, class: 'visually-hidden' }, t('onboarding.search.month')),
          h('select', { id: monthId, name: 'month' }, months.map((m) => h('option', { value: m.value, selected: started ? Number(started.slice(5, 7)) === m.value : m.value === new Date().getMonth() + 1 }, m.label))),
          h('label', { for: yearId, class: 'visually-hidden' }, t('onboarding.search.year')),
          h('select', { id: yearId, name: 'year' }, years.map((y) => h('option', { value: y, selected: started ? Number(started.slice(0, 4)) === y : y === thisYear }, String(y))))));
    }
    case 'number':
    case 'year': {
      const id = uid(step.field);
      return h('div', { class: 'field', dataset: { field: step.field } },
        h('label', { for: id }, t(`onboarding.${step.id}.label`)),
        h('input', { id, name: step.field, type: 'text', inputmode: 'numeric', pattern: '[0-9]*', value: value ?? '',
          autocomplete: step.type === 'year' ? 'bday-year' : 'off', 'aria-describedby': headingId }));
    }
    case 'yes-no':
      return h('fieldset', { class: 'field', dataset: { field: step.field }, 'aria-labelledby': headingId },
        h('div', { class: 'choices' }, [true, false].map((v) => h('label', { class: 'choice' },
          h('input', { type: 'radio', name: step.field, value: String(v), checked: value === v }), t(v ? 'form.yes' : 'form.no')))));
    default: {
      const chosen = new Set((Array.isArray(value) ? value : [value]).map(String));
      return h('fieldset', { class: 'field', dataset: { field: step.field }, 'aria-labelledby': headingId },
        step.multiple && h('p', { class: 'hint' }, t('onboarding.several')),
        h('div', { class: 'choices' }, step.options.map((option) => h('label', { class: 'choice' },
          h('input', { type: step.multiple ? 'checkbox' : 'radio', name: step.field, value: String(option), checked: chosen.has(String(option)) }),
          h('span', {}, label(step.id, option))))));
    }
  }
}

function readAnswer(step, form, state) {
  const missing = () => localError(step.field, t('onboarding.please-answer'));
  switch (step.type) {
    case 'job':
    case 'city':
      if (!state.choice) throw localError(step.field, t('onboarding.please-choose'));
      return state.choice;
    case 'search': {
      const started = checked(form, 'started');
      if (!started) throw localError('job_search_has_not_started', t('onboarding.please-answer'));
      if (started === 'no') return { job_search_has_not_started: true, job_search_started_at: null };
      const month = String(form.elements.month.value).padStart(2, '0');
      return { job_search_has_not_started: false, job_search_started_at: `${form.elements.year.value}-${month}-01` };
    }
    case 'number':
    case 'year': {
      const text = form.elements[step.field].value.trim();
      if (!text) throw missing();
      if (!/^\d+$/.test(text)) throw localError(step.field, t('onboarding.whole-number'));
      return { [step.field]: Number(text) };
    }
    case 'yes-no': {
      const v = checked(form, step.field);
      if (v === null) throw missing();
      return { [step.field]: v === 'true' };
    }
    default: {
      const v = checked(form, step.field, { multiple: Boolean(step.multiple) });
      if (v === null || (step.multiple && v.length === 0)) throw missing();
      if (step.multiple) return { [step.field]: v };
      return { [step.field]: step.numeric ? Number(v) : v };
    }
  }
}

async function save(step, changes) {
  if (step.target === 'project') return saveProject(changes);
  if (step.target === 'profile') return saveProfile({ profile: changes });
  return saveProfile({ preferences: changes });
}

function stepScreen(ctx, profile, step) {
  const answers = answersOf(profile);
  // A job title answered before is kept when the person only continues.
  const state = { choice: step.type === 'job' && answers.rome_code ? { job_code_ogr: answers.job_code_ogr, rome_code: answers.rome_code }
    : step.type === 'city' && answers.city_insee ? { city_insee: answers.city_insee } : null };
  const steps = visibleSteps(answers);
  const index = steps.indexOf(step);
  const returning = ctx.query.get('return') === 'profile';
  let latest = profile; // after a save: an answer may hide the next question (seniority)
  const next = async () => {
    if (returning) return '/profile';
    const remaining = visibleSteps(answersOf(latest));
    const after = remaining.slice(remaining.findIndex((s) => s.id === step.id) + 1)[0];
    if (after) return `/onboarding/${after.id}`;
    // The end of the questionnaire: the person says they are done, so the welcome email ("your diagnosis
    // is ready") and the reminders of actions may start (they wait for this, not for a first diagnosis).
    if (!latest.questionnaire_finished_at) latest = await saveProfile({ questionnaire_finished: true });
    return '/diagnosis?fresh=1';
  };
  const headingId = uid('question');
  const whyId = uid('why');
  const form = h('form', { class: 'question' },
    formAlert(),
    questionInput(step, answers, headingId, state),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button' }, t(index === steps.length - 1 ? 'onboarding.finish' : 'onboarding.continue')),
      step.optional && h('button', { type: 'button', class: 'button secondary', on: { click: async () => ctx.navigate(await next()) } }, t('onboarding.skip'))));
  onSubmit(form, async () => {
    latest = await save(step, readAnswer(step, form, state));
    ctx.navigate(await next());
  });
  const previous = steps[index - 1];
  return h('div', {},
    h('p', { class: 'progress-label', id: `${headingId}-progress` }, t('onboarding.progress', { current: index + 1, total: steps.length })),
    h('progress', { max: steps.length, value: index + 1, 'aria-labelledby': `${headingId}-progress` }),
    h('h1', { id: headingId, tabindex: '-1' }, t(`onboarding.${step.id}.question`)),
    step.optional && h('p', { class: 'meta' }, t('onboarding.optional')),
    form,
    h('details', { id: whyId }, h('summary', {}, t('onboarding.why')), h('p', {}, t(`onboarding.${step.id}.why`))),
    hintsAside(answers),
    h('p', { class: 'actions' },
      previous && h('a', { href: `/onboarding/${previous.id}${returning ? '?return=profile' : ''}` }, t('onboarding.back')),
      h('span', { class: 'meta' }, t('onboarding.saved'))));
}

function startScreen(profile) {
  const answers = answersOf(profile);
  const steps = visibleSteps(answers);
  const first = steps.find((step) => !step.optional && !answered(step, answers)) || steps[0];
  const began = Boolean(firstProject(profile)); // preferences have defaults: only a project says the person began
  return h('div', {},
    title(t('onboarding.start-title', { name: profile.first_name || '' }), t('onboarding.start-intro')),
    h('ul', {}, h('li', {}, t('onboarding.start-time')), h('li', {}, t('onboarding.start-skip')), h('li', {}, t('onboarding.start-saved'))),
    h('p', { class: 'actions' }, h('a', { class: 'button', href: `/onboarding/${first.id}` }, t(began ? 'onboarding.resume' : 'onboarding.begin'))));
}

export async function render(ctx) {
  const profile = await loadProfile({ fresh: ctx.view === 'start' });
  if (ctx.view === 'start') return startScreen(profile);
  const step = STEPS.find((s) => s.id === ctx.params.step);
  if (!step) {
    ctx.navigate('/onboarding', { replace: true });
    return h('div');
  }
  return stepScreen(ctx, profile, step);
}
