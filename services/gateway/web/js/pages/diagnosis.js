// The diagnosis: the main challenge and the score first, then the strengths, the seven challenges
// and every observation with its "why?" and where its figures come from. It appears by itself
// when the diagnostic service has finished (live event), with a visible "being prepared" state.

import { get } from '../api.js';
import { announce, h, replace, uid } from '../dom.js';
import { ENDPOINTS } from '../endpoints.js';
import { t } from '../i18n.js';
import { listen } from '../live.js';
import { firstProject, loadProfile } from '../profile-store.js';
import { errorBlock, sources, title } from '../ui.js';
import { STEPS } from './onboarding.js';

const POLL_MS = 5000; // if live events cannot get through (a proxy, a bad network), ask now and then
// A switch for the browser tests: localStorage 'coach.diagnosis-polling' = 'off' leaves the live
// stream as the only way the page learns the diagnosis changed, which proves the stream works
// (tests/e2e/test_job_seeker.py). Nothing in the client sets it.
const POLLING_SWITCH = 'coach.diagnosis-polling';
const PATIENCE_MS = 20000; // after this, show the latest diagnosis even if a newer one is still coming

function why(reasons, sourceList) {
  if (!(reasons && reasons.length) && !(sourceList && sourceList.length)) return null;
  return h('details', {},
    h('summary', {}, t('diagnosis.why')),
    reasons && reasons.length ? h('ul', {}, reasons.map((r) => h('li', {}, r.text))) : null,
    sourceList && sourceList.length ? [h('p', { class: 'meta' }, t('diagnosis.sources')), sources(sourceList)] : null);
}

function stepOf(field) {
  const name = field.split('.').pop();
  const step = STEPS.find((s) => s.field === name || (name === 'rome_code' && s.id === 'job') || (name.startsWith('job_search') && s.id === 'search'));
  return step ? `/onboarding/${step.id}?return=profile` : '/profile';
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

/** Return the whole diagnosis of one project. */
export function diagnosisView(d, { forCounsellor = false } = {}) {
  const strengths = d.challenges.filter((c) => c.status === 'relevant-and-good');
  const statusClass = { 'needs-attention': 'attention', 'relevant-and-good': 'good' };
  const id = Object.fromEntries(['main', 'strengths', 'challenges', 'details', 'refine'].map((k) => [k, uid(k)]));
  return h('div', { class: 'diagnosis' },
    d.contains_estimates && h('p', { class: 'notice estimate-note' }, t('diagnosis.estimates-note')),
    h('section', { class: 'card highlight', 'aria-labelledby': id.main },
      h('h2', { id: id.main }, d.main_challenge_label ? t('diagnosis.priority', { label: d.main_challenge_label }) : t('diagnosis.no-priority')),
      h('p', {}, h('strong', {}, d.overall_sentence)),
      scoreBlock(d),
      h('p', {}, d.overall_text)),
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
        why(c.reasons, c.sources))))),
    h('section', { 'aria-labelledby': id.details },
      h('h2', { id: id.details }, t('diagnosis.details')),
      d.sub_diagnostics.map((sub) => h('div', {},
        h('h3', {}, sub.label, sub.score !== null && sub.score !== undefined ? ` — ${t('diagnosis.score-value', { score: sub.score })}` : ''),
        h('ul', { class: 'cards' }, sub.observations.map((o) => h('li', { class: 'card' },
          h('p', {}, o.attention_needed && h('span', { class: 'tag attention' }, t('diagnosis.to-work-on')), o.attention_needed ? ' ' : '', o.text,
            o.contains_estimates ? [' ', h('span', { class: 'tag estimate' }, t('source.synthetic'))] : null),
          why(o.reasons, o.sources))))))),
    !forCounsellor && d.questions && d.questions.length > 0 && h('section', { 'aria-labelledby': id.refine },
      h('h2', { id: id.refine }, t('diagnosis.refine')),
      h('ul', {}, d.questions.map((q) => h('li', {}, h('a', { href: stepOf(q.field) }, q.question))))),
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
  const wanted = profile.revision; // the diagnosis must reflect the answers saved so far
  const started = Date.now();
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
        replace(body, diagnosisView(d));
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

  ctx.onLeave(listen('ready', refresh)); // the stream is open: nothing can be missed from now on
  ctx.onLeave(listen('diagnosis-ready', refresh));
  if (pollingWanted()) poll = setInterval(refresh, POLL_MS);
  ctx.onLeave(() => clearInterval(poll));
  await refresh();
  return h('div', {}, title(t('diagnosis.title'), project.job_title && project.city_name
    ? t('diagnosis.subtitle', { job: project.job_title, city: project.city_name }) : null), waiting, body);
}
