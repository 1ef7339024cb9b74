// Ranked advice with stars and the reasons behind each (each naming the answer it rests on), the
// questions still to answer, and the strategies that group them. A dozen advice first, the rest
// behind "see more".

import { answerLinks, basedOn, questionLink } from '../answers.js';
import { get } from '../api.js';
import { announce, h, replace, uid } from '../dom.js';
import { ENDPOINTS } from '../endpoints.js';
import { t } from '../i18n.js';
import { listen } from '../live.js';
import { errorBlock, externalLink, loading, stars, title } from '../ui.js';

function reason(why) {
  return h('li', {}, why.text, basedOn(why.answers));
}

function card(advice, { open = false, headingLevel = 'h2' } = {}) {
  const headingId = uid('advice');
  const why = advice.why && advice.why.length ? advice.why : advice.reasons.map((text) => ({ text, answers: [] }));
  const refine = answerLinks(advice.missing_fields);
  return h('li', { class: 'card', id: `advice-${advice.advice_id}` },
    h('article', { 'aria-labelledby': headingId },
      h(headingLevel, { id: headingId }, advice.title),
      h('p', {}, stars(advice.stars)),
      h('p', {}, advice.pitch),
      why.length > 0 && h('details', { open: open || null },
        h('summary', {}, t('advice.why')),
        h('ul', {}, why.map(reason))),
      advice.tips.length > 0 && h('details', { open: open || null },
        h('summary', {}, t('advice.tips', { count: advice.tips.length })),
        h('ul', {}, advice.tips.map((tip) => h('li', {}, tip)))),
      advice.resource && h('p', {}, externalLink(advice.resource.url, advice.resource.label)),
      refine.length > 0 && h('p', { class: 'meta' }, t('advice.more-precise'), ' ', refine),
      !open && h('p', {}, h('a', { href: `/advice/${encodeURIComponent(advice.advice_id)}`, 'aria-describedby': headingId }, t('advice.open')))));
}

function questions(list) {
  const asked = list.map((q) => questionLink(q.field)).filter(Boolean);
  if (!asked.length) return null;
  return h('section', { 'aria-labelledby': 'questions-title', class: 'card' },
    h('h2', { id: 'questions-title' }, t('advice.questions-title')),
    h('p', {}, t('advice.questions-intro')),
    h('ul', {}, asked.map((link) => h('li', {}, link))));
}

function strategies(list, adviceById) {
  if (!list.length) return null;
  return h('section', { 'aria-labelledby': 'strategies-title' },
    h('h2', { id: 'strategies-title' }, t('advice.strategies')),
    h('p', {}, t('advice.strategies-intro')),
    h('ul', { class: 'cards' }, list.filter((s) => !s.is_secondary).map((s) => h('li', { class: s.is_principal ? 'card highlight' : 'card' },
      h('h3', {}, s.title, s.is_principal ? [' ', h('span', { class: 'tag good' }, t('advice.principal'))] : null),
      h('p', {}, s.description),
      s.advice_ids.length > 0 && h('ul', {}, s.advice_ids.filter((id) => adviceById.has(id)).map((id) => h('li', {},
        h('a', { href: `/advice/${encodeURIComponent(id)}` }, adviceById.get(id).title))))))));
}

function ranked(advice, firstShown) {
  // The service ranks best first and says how many to show at first (older answers: all of them).
  const first = firstShown || advice.length;
  const more = advice.slice(first);
  return [
    h('ul', { class: 'cards' }, advice.slice(0, first).map((a) => card(a))),
    more.length > 0 && h('details', { class: 'more' },
      h('summary', {}, t('advice.see-more', { count: more.length })),
      h('ul', { class: 'cards' }, more.map((a) => card(a)))),
  ];
}

export async function render(ctx) {
  const body = h('div', {}, loading());

  async function refresh() {
    if (ctx.stale()) return;
    let found;
    try {
      found = await get(ENDPOINTS.advice);
    } catch (error) {
      replace(body, errorBlock(error));
      return;
    }
    const project = found.projects[0];
    if (!project || !project.advice.length) {
      replace(body, h('div', { class: 'card highlight preparing', role: 'status' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('p', {}, t('advice.preparing'))));
      return;
    }
    const adviceById = new Map(project.advice.map((a) => [a.advice_id, a]));
    if (ctx.view === 'one') {
      const advice = adviceById.get(ctx.params.id);
      replace(body, advice
        ? h('ul', { class: 'cards' }, card(advice, { open: true }))
        : h('p', { class: 'notice' }, t('advice.not-found')),
      h('p', {}, h('a', { href: '/advice' }, t('advice.all'))));
      return;
    }
    const hadSpinner = body.querySelector('.preparing');
    replace(body,
      h('p', {}, t('advice.intro')),
      ranked(project.advice, project.first_shown),
      questions(project.questions || []),
      strategies(project.strategies, adviceById),
      h('p', { class: 'actions' }, h('a', { class: 'button', href: '/plan' }, t('advice.to-plan'))));
    if (hadSpinner) announce(t('advice.ready'));
  }

  ctx.onLeave(listen('advice-ready', refresh));
  await refresh();
  return h('div', {}, title(t(ctx.view === 'one' ? 'advice.one-title' : 'advice.title')), body);
}
