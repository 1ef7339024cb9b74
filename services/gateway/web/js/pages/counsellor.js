// The counsellor's dashboard: the people who share their summary, and one person's diagnosis and
// plan progress (read-only, for as long as the person keeps sharing).

import { get } from '../api.js';
import { h } from '../dom.js';
import { formatDate, label, t } from '../i18n.js';
import { errorBlock, title } from '../ui.js';
import { diagnosisView } from './diagnosis.js';

async function people() {
  let list;
  try { list = await get('/v1/counsellor/people'); } catch (error) { return h('div', {}, title(t('counsellor.title')), errorBlock(error)); }
  return h('div', {},
    title(t('counsellor.title'), t('counsellor.intro')),
    list.length
      ? h('ul', { class: 'cards' }, list.map((p) => h('li', { class: 'card' },
        h('h2', {}, h('a', { href: `/counsellor/people/${p.user_id}` }, p.first_name || t('counsellor.someone'))),
        h('p', { class: 'meta' }, t('counsellor.since', { date: formatDate(p.since) })))))
      : h('div', { class: 'notice' }, h('p', {}, t('counsellor.none')), h('p', {}, t('counsellor.how'))));
}

async function person(ctx) {
  let found;
  try { found = await get(`/v1/counsellor/people/${encodeURIComponent(ctx.params.id)}`); } catch (error) {
    return h('div', {}, title(t('counsellor.person')), errorBlock(error), h('p', {}, h('a', { href: '/counsellor' }, t('counsellor.back'))));
  }
  const s = found.summary;
  const progress = Object.entries(found.plan_progress);
  return h('div', {},
    title(s.first_name || t('counsellor.someone'), t('counsellor.read-only')),
    h('section', { class: 'card' },
      h('h2', {}, t('counsellor.summary')),
      h('ul', {},
        h('li', {}, t('counsellor.registered', { date: formatDate(s.registered_at) })),
        s.projects.map((p) => h('li', {}, t('counsellor.project', { job: p.job_title || p.rome_code || '—', city: p.city_name || '—' }))),
        s.action_pace && h('li', {}, t('counsellor.pace', { pace: label('pace', s.action_pace) })),
        s.missing_fields.length > 0 && h('li', {}, t('counsellor.missing', { count: s.missing_fields.length })))),
    h('section', { class: 'card' },
      h('h2', {}, t('counsellor.progress')),
      progress.length
        ? h('ul', {}, progress.map(([status, count]) => h('li', {}, `${label('action-status', status)} : ${count}`)))
        : h('p', {}, t('counsellor.no-plan'))),
    found.diagnoses.map((d) => h('section', {}, h('h2', {}, t('counsellor.diagnosis')), diagnosisView(d, { forCounsellor: true }))),
    h('p', {}, h('a', { href: '/counsellor' }, t('counsellor.back'))));
}

export async function render(ctx) {
  return ctx.view === 'person' ? person(ctx) : people();
}
