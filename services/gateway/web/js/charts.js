// Simple SVG bar charts drawn here (no library), each with a data table as its text alternative:
// the picture is for the eye, the table for screen readers and for anyone who prefers figures.

import { h, s, uid } from './dom.js';
import { formatNumber, t } from './i18n.js';

/** Return a table in a box that scrolls sideways on narrow screens (reachable with the keyboard). */
export function tableBox(caption, ...content) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': t('chart.table', { caption }), tabindex: '0' }, ...content);
}

function table(caption, headers, rows) {
  return tableBox(caption, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((text, i) => h('th', { scope: 'col', class: i ? 'number' : null }, text)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell, i) => (i === 0
      ? h('th', { scope: 'row' }, cell)
      : h('td', { class: 'number' }, cell))))))));
}

function frame(title, summary, svg, alternative, note) {
  const titleId = uid('chart-title');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', titleId);
  svg.prepend(s('title', { id: titleId }, summary));
  return h('figure', {},
    h('figcaption', {}, title),
    note && h('p', { class: 'meta' }, note),
    svg,
    h('details', {}, h('summary', {}, t('chart.show-table')), alternative));
}

/**
 * Return horizontal bars, one per row: [{label, value, selected, note}] (e.g. tension by département).
 * Each label sits above its bar so that long names stay readable on a 360 px phone. The selected
 * row is darker and marked with ▶ in its label, so colour is never the only clue.
 */
export function horizontalBars({ title, valueLabel, rows, format = (v) => formatNumber(v, { maximumFractionDigits: 1 }), note }) {
  const width = 360;
  const row = 54;
  const barHeight = 20;
  const height = rows.length * row + 4;
  const max = Math.max(...rows.map((r) => r.value), 0.0001);
  const scale = (width - 60) / max;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'xMinYMin meet' },
    rows.map((r, i) => {
      const y = i * row + 4;
      const w = Math.max(2, r.value * scale);
      const name = r.selected ? `▶ ${r.label}` : r.label;
      return s('g', {},
        s('text', { x: 0, y: y + 15, 'font-weight': r.selected ? '700' : '400' }, name.length > 40 ? `${name.slice(0, 39)}…` : name),
        s('rect', { class: r.selected ? 'bar selected' : 'bar', x: 0, y: y + 22, width: w, height: barHeight, rx: 3 }),
        s('text', { x: w + 6, y: y + 38 }, format(r.value)));
    }));
  const summary = `${title}. ${rows.map((r) => `${r.label} : ${format(r.value)}`).join(' ; ')}`;
  const alternative = table(title, [t('chart.place'), valueLabel],
    rows.map((r) => [r.selected ? `${r.label} ${t('chart.selected')}` : r.label, format(r.value) + (r.note ? ` ${r.note}` : '')]));
  return frame(title, summary, svg, alternative, note);
}

/**
 * Return one column per month (1-12) around a dashed "average" line at 1.
 * points: [{month, value}] where 1 is the yearly average; months above it are darker.
 */
export function monthColumns({ title, valueLabel, points, monthLabel, format, note }) {
  const width = 360;
  const height = 180;
  const top = 10;
  const bottom = 24;
  const slot = width / 12;
  const max = Math.max(...points.map((p) => p.value), 1.2);
  const scale = (height - top - bottom) / max;
  const base = height - bottom;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'xMinYMin meet' },
    s('line', { class: 'axis', x1: 0, x2: width, y1: base, y2: base }),
    points.map((p) => {
      const x = (p.month - 1) * slot + slot * 0.15;
      const barHeight = Math.max(2, p.value * scale);
      return s('g', {},
        s('rect', { class: p.value >= 1 ? 'bar selected' : 'bar', x, y: base - barHeight, width: slot * 0.7, height: barHeight, rx: 2 }),
        // One letter per month (J F M A...): longer names collide on a phone; the table has them in full.
        s('text', { x: x + slot * 0.35, y: height - 6, 'text-anchor': 'middle' }, monthLabel(p.month, 'narrow')));
    }),
    s('line', { class: 'average', x1: 0, x2: width, y1: base - scale, y2: base - scale }));
  const summary = `${title}. ${points.map((p) => `${monthLabel(p.month)} : ${format(p.value)}`).join(' ; ')}`;
  const alternative = table(title, [t('chart.month'), valueLabel], points.map((p) => [monthLabel(p.month), format(p.value)]));
  return frame(title, summary, svg, alternative, note);
}
