// The local market of a job: key figures with their source, tension in the département and its
// neighbours, seasonality by month (SVG charts with their tables), close alternatives, sources.

import { get } from '../api.js';
import { horizontalBars, monthColumns, tableBox } from '../charts.js';
import { h, uid } from '../dom.js';
import { ENDPOINTS } from '../endpoints.js';
import { formatNumber, monthName, t } from '../i18n.js';
import { firstProject, loadProfile } from '../profile-store.js';
import { errorBlock, sourceName, sourceTag, title } from '../ui.js';

const FIGURES = ['offers_per_10_candidates', 'job_offers_yearly', 'job_seekers', 'salary_gross_yearly_median',
  'cdi_share', 'application_network_share', 'application_spontaneous_share', 'unemployment_median_days',
  'hiring_difficult_share', 'best_month'];

function formatFigure(name, value) {
  if (value === null || value === undefined) return t('market.unknown');
  if (name.endsWith('_share')) return formatNumber(value, { style: 'percent', maximumFractionDigits: 0 });
  if (name.startsWith('salary')) return formatNumber(value, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
  if (name === 'best_month') return monthName(value);
  if (name === 'unemployment_median_days') return t('market.days', { count: Math.round(value), number: formatNumber(Math.round(value)) });
  return formatNumber(value, { maximumFractionDigits: 1 });
}

function figuresTable(market) {
  const byName = new Map(market.figures.map((f) => [f.name, f]));
  const rows = FIGURES.filter((name) => byName.has(name) && byName.get(name).value !== null);
  const headingId = uid('figures');
  return h('section', { 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('market.figures')),
    tableBox(t('market.figures'), h('table', {},
      h('caption', { class: 'visually-hidden' }, t('market.figures')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('market.figure')), h('th', { scope: 'col', class: 'number' }, t('market.value')))),
      // Two columns fit a phone: the source goes under the indicator's name.
      h('tbody', {}, rows.map((name) => {
        const f = byName.get(name);
        return h('tr', {}, h('th', { scope: 'row' }, t(`market.figure.${name}`), h('br'), sourceTag(f)), h('td', { class: 'number' }, formatFigure(name, f.value)));
      })))));
}

function charts(market) {
  const parts = [];
  if (market.tension_nearby && market.tension_nearby.length) {
    const anyEstimate = market.tension_nearby.some((p) => p.is_estimate);
    parts.push(horizontalBars({
      title: t('market.tension-title'),
      valueLabel: t('market.tension-value'),
      rows: market.tension_nearby.map((p) => ({
        label: p.name, value: p.offers_per_10_candidates, selected: p.is_selected,
        note: p.is_estimate ? `(${t('source.synthetic')})` : '',
      })),
      note: [t('market.tension-help'), anyEstimate ? ` ${t('market.chart-estimates')}` : ''].join(''),
    }));
  }
  if (market.seasonality && market.seasonality.points.length) {
    parts.push(monthColumns({
      title: t('market.season-title'),
      valueLabel: t('market.season-value'),
      points: market.seasonality.points,
      monthLabel: monthName,
      format: (v) => formatNumber(v, { maximumFractionDigits: 2 }),
      note: [t('market.season-help'), market.seasonality.is_estimate ? ` ${t('market.chart-estimates')}` : ''].join(''),
    }));
  }
  if (!parts.length) return null;
  const headingId = uid('charts');
  return h('section', { 'aria-labelledby': headingId }, h('h2', { id: headingId }, t('market.charts')), parts);
}

function alternatives(market) {
  if (!market.alternatives || !market.alternatives.length) return null;
  const headingId = uid('alternatives');
  return h('section', { 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('market.alternatives')),
    h('ul', { class: 'cards' }, market.alternatives.map((a) => h('li', { class: 'card' },
      h('p', {}, h('a', { href: `/market/${a.rome_code}/${a.departement}` }, `${a.job_label} — ${a.departement_name}`)),
      h('p', { class: 'meta' }, t(`market.relation.${a.relation}`), ' · ',
        t('market.tension-short', { value: formatNumber(a.offers_per_10_candidates, { maximumFractionDigits: 1 }) }), ' ', sourceTag(a))))));
}

function datasets(market) {
  if (!market.datasets || !market.datasets.length) return null;
  const headingId = uid('datasets');
  return h('section', { 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('market.datasets')),
    // Named in plain words; the open-data licence is said for official data only (the demonstration
    // model is the coach's code, not data anyone publishes).
    h('ul', {}, market.datasets.map((d) => h('li', {},
      sourceTag(d), ' ', h('strong', {}, sourceName({ ...d, dataset: d.id })),
      d.period ? ` (${d.period.replace('..', ' – ')})` : '',
      d.provenance === 'synthetic' ? '' : ` — ${d.licence}`))));
}

export async function render(ctx) {
  let rome = ctx.params.rome;
  let departement = ctx.params.departement;
  if (ctx.view === 'mine') {
    const project = firstProject(await loadProfile());
    if (!project || !project.rome_code || !project.departement) {
      return h('div', {}, title(t('market.title')), h('p', {}, t('market.need-answers')),
        h('p', {}, h('a', { class: 'button', href: '/onboarding' }, t('diagnosis.answer'))));
    }
    rome = project.rome_code;
    departement = project.departement;
  }
  let market;
  try {
    market = await get(ENDPOINTS.market(rome, departement));
  } catch (error) {
    return h('div', {}, title(t('market.title')), errorBlock(error));
  }
  return h('div', {},
    title(t('market.title-of', { job: market.job_label, place: market.departement_name })),
    market.contains_estimates && h('p', { class: 'notice estimate-note' }, t('market.estimates-note')),
    figuresTable(market),
    charts(market),
    alternatives(market),
    market.requirements && market.requirements.diplomas.length > 0 && h('section', {},
      h('h2', {}, t('market.requirements')),
      h('ul', {}, market.requirements.diplomas.map((d) => h('li', {}, d))),
      market.requirements.regulated && h('p', { class: 'notice' }, t('market.regulated'))),
    datasets(market),
    ctx.view === 'other' && h('p', {}, h('a', { href: '/market' }, t('market.back'))));
}
