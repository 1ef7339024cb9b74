// The diagnosis: the main challenge and the score first, then the strengths, the seven challenges
// and every observation with its "why?" and where its figures come from. It appears by itself
// when the diagnostic service has finished (live event), with a visible "being prepared" state.
// Beside it, the answers still missing are asked right here, each with every true answer ("none",
// "I do not know" included) as the diagnostic service lists them; saving one updates the diagnosis.

import { basedOn } from '../answers.js';
import { get } from '../api.js';
import { announce, h, replace, uid } from '../dom.js';
import { ENDPOINTS } from '../endpoints.js';
import { checked, formAlert, localError, onSubmit } from '../forms.js';
import { monthName, t } from '../i18n.js';
import { listen } from '../live.js';
import { firstProject, loadProfile, saveProfile, saveProject } from '../profile-store.js';
import { errorBlock, sourceName, sources, title } from '../ui.js';

const POLL_MS = 5000; // if live events cannot get through (a proxy, a bad network), ask now and then
// A switch for the browser tests: localStorage 'coach.diagnosis-polling' = 'off' leaves the live
// stream as the only way the page learns the diagnosis changed, which proves the stream works
// (tests/e2e/test_job_seeker.py). Nothing in the client sets it.
const POLLING_SWITCH = 'coach.diagnosis-polling';
const PATIENCE_MS = 20000; // after this, show the latest diagnosis even if a newer one is still coming

// linked: each reason links to the question of "Mes réponses" behind it (not on a counsellor's page:
// the answers are the person's to change).
function why(reasons, sourceList, { linked = true } = {}) {
  if (!(reasons && reasons.length) && !(sourceList && sourceList.length)) return null;
  return h('details', {},
    h('summary', {}, t('diagnosis.why')),
    reasons && reasons.length ? h('ul', {}, reasons.map((r) => h('li', {}, r.text, linked ? basedOn(r.answers) : null))) : null,
    sourceList && sourceList.length ? [h('p', { class: 'meta' }, t('diagnosis.sources')), sources(sourceList)] : null);
}

// The source of the official market figure behind the main challenge, with the period its file
// covers when the file says (the ROME, always real, is cited in the "why?" only).
function sourceLine(challenge) {
  const official = challenge && challenge.sources.find((s) => s.provenance === 'real' && !s.dataset.startsWith('rome@'));
  if (!official) return null;
  const source = sourceName(official);
  return h('p', { class: 'meta' }, official.period
    ? t('diagnosis.source-period', { source, period: official.period.replace('..', ' – ') })
    : t('diagnosis.source', { source }));
}

// --- The answers still missing, asked beside the diagnosis ----------------------------------------

// A typed value an answer needs: a whole number, a year, or a month and its year.
function typedInput(kind, label, { visible = false, onUse = () => {} } = {}) {
  const id = uid(kind);
  const labelClass = visible ? null : 'visually-hidden';
  if (kind !== 'month') {
    return h('div', { class: 'field typed' }, h('label', { for: id, class: labelClass }, label),
      h('input', { id, name: 'typed', type: 'text', inputmode: 'numeric', pattern: '[0-9]*', size: kind === 'year' ? 4 : 3,
        autocomplete: kind === 'year' ? 'bday-year' : 'off', on: { input: onUse, focus: onUse } }));
  }
  const now = new Date();
  const yearId = uid('year');
  return h('div', { class: 'field typed' },
    h('label', { for: id, class: 'visually-hidden' }, t('onboarding.search.month')),
    h('select', { id, name: 'month', on: { change: onUse, focus: onUse } }, Array.from({ length: 12 }, (_, i) => h('option', { value: i + 1, selected: i === now.getMonth() }, monthName(i + 1)))),
    h('label', { for: yearId, class: 'visually-hidden' }, t('onboarding.search.year')),
    h('select', { id: yearId, name: 'year', on: { change: onUse, focus: onUse } }, Array.from({ length: 11 }, (_, i) => h('option', { value: now.getFullYear() - i }, String(now.getFullYear() - i)))));
}

function readChanges(q, form) {
  const single = q.answers.length === 1;
  const picked = single ? '0' : checked(form, `answer-${q.field}`);
  if (picked === null) throw localError(q.field, t('onboarding.please-answer'));
  const answer = q.answers[Number(picked)];
  const changes = { ...answer.changes };
  if (answer.typed === 'month') {
    changes[q.field] = `${form.elements.year.value}-${String(form.elements.month.value).padStart(2, '0')}-01`;
  } else if (answer.typed) {
    const text = form.elements.typed.value.trim();
    if (!text) throw localError(q.field, t('onboarding.please-answer'));
    if (!/^\d+$/.test(text)) throw localError(q.field, t('onboarding.whole-number'));
    changes[q.field] = Number(text);
  }
  return changes;
}

function answerChoice(q, answer, index) {
  const radio = h('input', { type: 'radio', name: `answer-${q.field}`, value: String(index) });
  const choice = h('label', { class: 'choice' }, radio, h('span', {}, answer.label));
  if (!answer.typed) return choice;
  // Typing the value picks its answer: "I have had some, how many: 3".
  return h('div', {}, choice, typedInput(answer.typed, answer.label, { onUse: () => { radio.checked = true; } }));
}

function questionItem(q, onAnswered) {
  if (q.input === 'job' || q.input === 'city') {
    // Chosen from a search list: the questionnaire's own screen (never skipped, so never "question 0").
    return h('li', { class: 'card' }, h('p', {}, q.question, ' ',
      h('a', { href: `/onboarding/${q.input}?return=profile` }, t('diagnosis.answer-there'))));
  }
  const single = q.answers.length === 1;
  const form = h('form', { class: 'question-inline' },
    formAlert(),
    h('fieldset', { class: 'field', dataset: { field: q.field } },
      h('legend', {}, q.question),
      single
        ? typedInput(q.answers[0].typed, q.answers[0].label, { visible: true })
        : h('div', { class: 'choices' }, q.answers.map((a, i) => answerChoice(q, a, i)))),
    h('button', { type: 'submit', class: 'button' }, t('diagnosis.save-answer')));
  onSubmit(form, async () => {
    const changes = readChanges(q, form);
    const saved = q.target === 'profile' ? await saveProfile({ profile: changes }) : await saveProject(changes);
    replace(form, h('p', { class: 'success', role: 'status' }, t('diagnosis.updating')));
    onAnswered(saved);
  });
  return h('li', { class: 'card' }, form);
}

function pollingWanted() {
  try { return localStorage.getItem(POLLING_SWITCH) !== 'off'; } catch { return true; } // storage refused: poll
}

function preparing() {
  return h('div', { class: 'card highlight preparing', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('div', {}, h('p', {}, h('strong', {}, t('diagnosis.preparing'))), h('p', { class: 'meta' }, t('diagnosis.preparing-detail'))));
}

function scoreBlock(d) {
  if (d.overall_score === null || d.overall_score === undefined) return null;
  return h('div', { class: 'score' },
    h('span', { class: 'score-value' }, t('diagnosis.score-value', { score: d.overall_score })),
    h('meter', { min: 0, max: 100, low: 40, high: 70, optimum: 100, value: d.overall_score, 'aria-label': t('diagnosis.score-label') }),
    h('p', { class: 'meta' }, t('diagnosis.score-help')));
}

/** Return the whole diagnosis of one project (onAnswered(profile): a missing answer was saved). */
export function diagnosisView(d, { forCounsellor = false, onAnswered = () => {} } = {}) {
  const strengths = d.challenges.filter((c) => c.status === 'relevant-and-good');
  const statusClass = { 'needs-attention': 'attention', 'relevant-and-good': 'good' };
  const id = Object.fromEntries(['main', 'strengths', 'challenges', 'details', 'refine'].map((k) => [k, uid(k)]));
  // Only the market model's figures for this job here: its notice says so plainly, first.
  const demo = d.sub_diagnostics.flatMap((sub) => sub.observations).find((o) => o.id === 'market.demo-figures');
  const main = d.challenges.find((c) => c.challenge === d.main_challenge);
  return h('div', { class: 'diagnosis' },
    demo && h('p', { class: 'notice estimate-note' }, demo.text),
    h('section', { class: 'card highlight', 'aria-labelledby': id.main },
      h('h2', { id: id.main }, d.main_challenge_label ? t('diagnosis.priority', { label: d.main_challenge_label }) : t('diagnosis.no-priority')),
      h('p', {}, h('strong', {}, d.overall_sentence)),
      scoreBlock(d),
      h('p', {}, d.overall_text),
      sourceLine(main)),
    d.self_diagnostic && h('p', { class: 'notice' }, d.self_diagnostic.text),
    strengths.length > 0 && h('section', { 'aria-labelledby': id.strengths },
      h('h2', { id: id.strengths }, t('diagnosis.strengths')),
      // The reason says what is good ("5 offers for 10 candidates"); the challenge's name ("a stuck
      // market") only says what was checked.
      h('ul', { class: 'cards' }, strengths.map((c) => h('li', { class: 'card done' },
        c.reasons.length ? c.reasons.map((r) => h('p', {}, '✓ ', r.text)) : h('p', {}, '✓ ', c.label),
        h('p', { class: 'meta' }, t('diagnosis.checked', { label: c.label })))))),
    h('section', { 'aria-labelledby': id.challenges },
      h('h2', { id: id.challenges }, t('diagnosis.challenges')),
      h('ul', { class: 'cards' }, d.challenges.map((c) => h('li', { class: c.challenge === d.main_challenge ? 'card highlight' : 'card' },
        h('h3', {}, c.label, ' ', h('span', { class: `tag ${statusClass[c.status] || ''}` }, c.status_label)),
        why(c.reasons, c.sources, { linked: !forCounsellor }))))),
    h('section', { 'aria-labelledby': id.details },
      h('h2', { id: id.details }, t('diagnosis.details')),
      d.sub_diagnostics.map((sub) => h('div', {},
        h('h3', {}, sub.label, sub.score !== null && sub.score !== undefined ? ` — ${t('diagnosis.score-value', { score: sub.score })}` : ''),
        h('ul', { class: 'cards' }, sub.observations.map((o) => h('li', { class: 'card' },
          h('p', {}, o.attention_needed && h('span', { class: 'tag attention' }, t('diagnosis.to-work-on')), o.attention_needed ? ' ' : '', o.text,
            // Only the demonstration notice cites the model's figures, and its text already says so.
            o.contains_estimates && o.id !== 'market.demo-figures' ? [' ', h('span', { class: 'tag estimate' }, t('source.synthetic'))] : null,
            forCounsellor ? null : basedOn(o.answers)),
          why(o.reasons, o.sources, { linked: !forCounsellor }))))))),
    !forCounsellor && d.questions && d.questions.length > 0 && h('section', { 'aria-labelledby': id.refine },
      h('h2', { id: id.refine }, t('diagnosis.refine')),
      h('p', { class: 'meta' }, t('diagnosis.refine-intro')),
      h('ul', { class: 'cards' }, d.questions.map((q) => questionItem(q, onAnswered)))),
    !forCounsellor && h('div', { class: 'actions stack' },
      h('a', { class: 'button', href: '/advice' }, t('diagnosis.to-advice')),
      h('a', { class: 'button secondary', href: '/plan' }, t('diagnosis.to-plan')),
      h('a', { class: 'button secondary', href: '/market' }, t('diagnosis.to-market'))));
}

export async function render(ctx) {
  const profile = await loadProfile({ fresh: true });
  const project = firstProject(profile);
  if (!project || !project.rome_code || !project.city_insee) {
    return h('div', {}, title(t('diagnosis.title')),
      h('p', {}, t('diagnosis.need-answers')),
      h('p', {}, h('a', { class: 'button', href: '/onboarding' }, t('diagnosis.answer'))));
  }
  let wanted = profile.revision; // the diagnosis must reflect the answers saved so far
  let started = Date.now();
  const waiting = h('div');
  const body = h('div');
  let shown = null;
  let poll = null;
  let done = false;

  async function refresh() {
    if (done || ctx.stale()) return;
    let list;
    let failure = null;
    try {
      list = await get(ENDPOINTS.diagnosis);
    } catch (error) {
      failure = error;
    }
    // Reads overlap (the page opening, the stream opening, a timer): one answering after the
    // current diagnosis is shown must change nothing (no "being prepared" card, no error).
    if (done || ctx.stale()) return;
    if (failure) {
      replace(waiting);
      replace(body, errorBlock(failure));
      return;
    }
    const d = list.find((x) => x.project_id === project.project_id) || list[0];
    const current = d && d.profile_revision >= wanted;
    if (d && (current || Date.now() - started > PATIENCE_MS || !shown)) {
      if (!shown || shown.fingerprint !== d.fingerprint || shown.profile_revision !== d.profile_revision) {
        replace(body, diagnosisView(d, { onAnswered: answered }));
      }
      shown = d;
    }
    if (current || Date.now() - started > 2 * 60_000) {
      done = true;
      clearInterval(poll);
      if (waiting.firstChild) announce(t('diagnosis.ready'));
      replace(waiting);
    } else if (!waiting.firstChild) {
      replace(waiting, preparing());
    }
  }

  // An answer given beside the diagnosis: wait for the diagnosis of the new revision, as after the
  // questionnaire (the live event brings it; the page keeps showing the current one meanwhile).
  function answered(saved) {
    if (!saved || saved.revision <= wanted) return;
    wanted = saved.revision;
    started = Date.now();
    if (done) {
      done = false;
      if (pollingWanted()) poll = setInterval(refresh, POLL_MS);
    }
    refresh();
  }

  ctx.onLeave(listen('ready', refresh)); // the stream is open: nothing can be missed from now on
  ctx.onLeave(listen('diagnosis-ready', refresh));
  if (pollingWanted()) poll = setInterval(refresh, POLL_MS);
  ctx.onLeave(() => clearInterval(poll));
  await refresh();
  return h('div', {}, title(t('diagnosis.title'), project.job_title && project.city_name
    ? t('diagnosis.subtitle', { job: project.job_title, city: project.city_name }) : null), waiting, body);
}
