// The action plan: today / tomorrow / this week / done, the pace changed in one tap, and each
// action marked done, snoozed or declined, then "was it useful?". With several projects, the plan
// shows the one chosen in "my answers" (and the person's own actions). An action a volunteer can
// help with has a button that asks for that help: nothing is asked on the person's behalf.

import { ApiError, get, patch, post } from '../api.js';
import { announce, h, replace, uid } from '../dom.js';
import { ENDPOINTS } from '../endpoints.js';
import { formatDate, label, t } from '../i18n.js';
import { listen } from '../live.js';
import { chosenProject, loadProfile, saveProfile } from '../profile-store.js';
import { errorBlock, externalLink, loading, title } from '../ui.js';

const VIEWS = ['today', 'tomorrow', 'week', 'done'];
const PACES = ['PAUSE', 'ONE_TO_TWO', 'THREE_TO_FOUR', 'FIVE_OR_MORE'];
const OPEN = new Set(['unread', 'current', 'stuck', 'snoozed']);

function addDays(isoDate, days) {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Return true when the action shows in the view (the same rule as the advice service's plan views). */
export function inView(action, view, today) {
  const day = action.due_on;
  if (view === 'done') return action.status === 'done';
  if (!day || action.status === 'saved' || action.status === 'declined') return false;
  if (view === 'today') return day === today || (day < today && OPEN.has(action.status));
  if (view === 'tomorrow') return day === addDays(today, 1);
  return day <= addDays(today, 6) && (day >= today || OPEN.has(action.status));
}

export async function render(ctx) {
  const view = VIEWS.includes(ctx.query.get('view')) ? ctx.query.get('view') : 'today';
  const profile = await loadProfile().catch(() => null);
  const projects = (profile && profile.projects) || [];
  const project = projects.length > 1 ? chosenProject(profile) : null;
  // Actions of the chosen project, and the person's own actions that belong to no project.
  const ofProject = (a) => !project || !a.project_id || a.project_id === project.project_id;
  const status = h('p', { class: 'success', role: 'status', tabindex: '-1' });
  const paceBox = h('div');
  const listBox = h('div', {}, loading());
  let plan = null;
  // A plan read while a change is on its way may predate it: it must not overwrite the change.
  // `changes` counts each change when it starts and when it ends; a read that saw it move, or
  // started while one was in flight, is dropped and made again once the changes are done.
  let changes = 0;
  let inFlight = 0;
  let readAgain = false;

  function paceSection() {
    const headingId = uid('pace');
    return h('section', { class: 'card', 'aria-labelledby': headingId },
      h('h2', { id: headingId }, t('plan.pace-title')),
      h('p', { class: 'meta' }, t('plan.pace-help')),
      h('div', { class: 'segmented', role: 'group', 'aria-labelledby': headingId }, PACES.map((pace) => h('button', {
        type: 'button', 'aria-pressed': String(plan.pace.pace === pace),
        on: { click: () => changePace(pace) },
      }, label('pace', pace)))));
  }

  async function changePace(pace) {
    if (plan.pace.pace === pace) return;
    try {
      await saveProfile({ preferences: { action_pace: pace } });
    } catch (error) {
      replace(status, error instanceof ApiError ? error.text() : t('error.generic'));
      return;
    }
    plan.pace.pace = pace;
    replace(paceBox, paceSection());
    paceBox.querySelector('[aria-pressed="true"]').focus();
    replace(status, t('plan.pace-saved', { pace: label('pace', pace) }));
    // The plan is reorganised by the advice service a moment later: read it again until it is.
    for (let i = 0; i < 10 && !ctx.stale(); i += 1) {
      await new Promise((resolve) => { setTimeout(resolve, 1500); });
      const before = changes;
      const fresh = await get(ENDPOINTS.plan, { query: { view: 'all' } }).catch(() => null);
      if (fresh && fresh.pace.pace === pace && before === changes) { plan = fresh; drawList(); break; }
    }
  }

  function changesMade() { changes += 1; }

  async function change(action, body, message) {
    changesMade();
    inFlight += 1;
    try {
      const updated = await patch(ENDPOINTS.action(action.action_id), body);
      plan.actions = plan.actions.map((a) => (a.action_id === updated.action_id ? updated : a));
      drawList();
      replace(status, message);
      status.focus(); // the card may have left this view: keep the focus somewhere that says what happened
    } catch (error) {
      replace(status, error instanceof ApiError ? error.text() : t('error.generic'));
      status.focus();
    } finally {
      inFlight -= 1;
      changesMade();
      if (readAgain && inFlight === 0) {
        readAgain = false;
        load();
      }
    }
  }

  function actionCard(a) {
    const headingId = uid('action');
    const can = (s) => a.allowed_statuses.includes(s);
    const isDone = a.status === 'done';
    return h('li', { class: isDone ? 'card done' : 'card' },
      h('article', { 'aria-labelledby': headingId },
        h('h3', { id: headingId }, isDone ? '✓ ' : '', a.title),
        h('p', { class: 'meta' },
          t(`plan.duration.${a.duration}`),
          a.due_on && !isDone ? ` · ${t('plan.due', { date: formatDate(a.due_on, { weekday: 'long', day: 'numeric', month: 'long' }) })}` : '',
          a.overdue ? [' ', h('span', { class: 'tag attention' }, t('plan.overdue'))] : null,
          a.status === 'snoozed' && a.snoozed_until ? ` · ${t('plan.snoozed-until', { date: formatDate(a.snoozed_until) })}` : ''),
        a.description && h('p', {}, a.description),
        a.resource && h('p', {}, externalLink(a.resource.url, a.resource.label)),
        a.needs_help && !isDone && helpAsk(a, headingId),
        isDone
          ? h('div', {},
            h('p', { class: 'label', id: `${headingId}-useful` }, t('plan.useful')),
            h('div', { class: 'actions', role: 'group', 'aria-labelledby': `${headingId}-useful` },
              [true, false].map((v) => h('button', {
                type: 'button', class: 'button secondary small', 'aria-pressed': String(a.was_useful === v), dataset: { key: `${a.action_id}:useful-${v}` },
                on: { click: () => change(a, { was_useful: v }, t('plan.thanks-feedback')) },
              }, t(v ? 'form.yes' : 'form.no'))),
              can('current') && h('button', { type: 'button', class: 'button link small', 'aria-describedby': headingId,
                on: { click: () => change(a, { status: 'current' }, t('plan.reopened')) } }, t('plan.undo'))))
          : h('div', { class: 'actions' },
            can('done') && h('button', { type: 'button', class: 'button small', 'aria-describedby': headingId, dataset: { key: `${a.action_id}:done` },
              on: { click: () => change(a, { status: 'done' }, t('plan.done-message')) } }, t('plan.mark-done')),
            can('snoozed') && h('details', {},
              h('summary', { 'aria-describedby': headingId, dataset: { key: `${a.action_id}:later` } }, t('plan.later')),
              h('div', { class: 'actions' }, [[1, 'plan.tomorrow'], [3, 'plan.in-3-days'], [7, 'plan.next-week']].map(([days, key]) => h('button', {
                type: 'button', class: 'button secondary small',
                on: { click: () => change(a, { status: 'snoozed', snoozed_until: addDays(plan.today, days) }, t('plan.snoozed-message')) },
              }, t(key))))),
            can('declined') && h('button', { type: 'button', class: 'button link small', 'aria-describedby': headingId,
              on: { click: () => change(a, { status: 'declined' }, t('plan.declined-message')) } }, t('plan.decline')))));
  }

  // One tap makes the request (waiting for what the person chooses to share), then its page opens.
  function helpAsk(a, headingId) {
    const box = h('div', { class: 'help-ask' });
    const button = h('button', { type: 'button', class: 'button secondary small', 'aria-describedby': `${headingId} ${headingId}-help`,
      dataset: { key: `${a.action_id}:help` },
      on: { click: async () => {
        button.disabled = true;
        try {
          const request = await post('/v1/me/help-requests', { kind: a.needs_help, action_id: a.action_id });
          ctx.navigate(`/help/${encodeURIComponent(request.request_id)}`);
        } catch (error) {
          button.disabled = false;
          replace(status, error instanceof ApiError ? error.text() : t('error.generic'));
          status.focus();
        }
      } } }, t('plan.ask-volunteer'));
    box.append(h('p', { class: 'meta', id: `${headingId}-help` }, t(`plan.ask-help.${a.needs_help}`)), h('p', {}, button));
    return box;
  }

  function drawList() {
    // Redrawing replaces the buttons: give the focus back to the same control if it is still there.
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
    drawListNow();
    const again = focused && listBox.querySelector(`[data-key="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }

  function drawListNow() {
    const mine = plan.actions.filter(ofProject);
    const shown = mine.filter((a) => inView(a, view, plan.today));
    if (view === 'done') shown.sort((a, b) => String(b.done_at).localeCompare(String(a.done_at))); // latest first
    const counts = Object.fromEntries(VIEWS.map((v) => [v, mine.filter((a) => inView(a, v, plan.today)).length]));
    const headingId = uid('list');
    replace(listBox,
      h('nav', { 'aria-label': t('plan.views') }, h('ul', { class: 'segmented' }, VIEWS.map((v) => h('li', {},
        h('a', { href: `/plan?view=${v}`, 'aria-current': v === view ? 'page' : null }, t(`plan.view.${v}`), ` (${counts[v]})`))))),
      h('h2', { id: headingId }, t(`plan.view.${view}`)),
      plan.pace.pace === 'PAUSE' && view !== 'done' && h('p', { class: 'notice' }, t('plan.paused')),
      shown.length
        ? h('ul', { class: 'cards', 'aria-labelledby': headingId }, shown.map(actionCard))
        : h('p', {}, t(`plan.empty.${view}`)));
  }

  async function load() {
    if (ctx.stale()) return;
    const before = changes;
    const busy = inFlight > 0;
    try {
      const fresh = await get(ENDPOINTS.plan, { query: { view: 'all' } });
      if ((busy || before !== changes) && plan) { // this answer may be older than a change: read after it
        readAgain = true;
        if (inFlight === 0) { readAgain = false; load(); }
        return;
      }
      plan = fresh;
    } catch (error) {
      replace(listBox, errorBlock(error));
      return;
    }
    if (!plan.actions.length && !ctx.stale()) {
      replace(listBox, h('div', { class: 'card highlight preparing', role: 'status' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('p', {}, t('plan.preparing'))));
      replace(paceBox, paceSection());
      return;
    }
    const hadSpinner = listBox.querySelector('.preparing');
    replace(paceBox, paceSection());
    drawList();
    if (hadSpinner) announce(t('plan.ready'));
  }

  ctx.onLeave(listen('advice-ready', load));
  await load();
  return h('div', {}, title(t('plan.title'), plan && plan.today ? t('plan.today-is', { date: formatDate(plan.today, { weekday: 'long', day: 'numeric', month: 'long' }) }) : null),
    project && h('p', { class: 'meta' }, t('plan.project', { project: project.job_title || project.rome_code || '—', city: project.city_name || '—' }), ' ',
      h('a', { href: '/profile' }, t('plan.change-project'))),
    status, paceBox, listBox);
}
