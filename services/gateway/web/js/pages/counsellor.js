// Counsellors, from both sides.
// - The counsellor's dashboard: the people who share their follow-up, and one person's page, read-only,
//   written about the person in the third person ("Sa priorité", "Elle craint…", from her grammatical
//   gender, both forms when it is unknown), showing only what she chose to share; once she ends the
//   sharing, it says so and when.
// - The job seeker's sharing page (/settings/counsellors): who follows them, what each one reads
//   (chosen item by item, changed at any time), stop sharing, invite someone.

import { ApiError, del, get, post, put } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { checked, choiceGroup, formAlert, onSubmit } from '../forms.js';
import { formatDate, has, label, t } from '../i18n.js';
import { errorBlock, success, title } from '../ui.js';

const ITEMS = ['diagnosis', 'plan-progress', 'frustrations'];
const DEFAULT_ITEMS = ['diagnosis', 'plan-progress'];

function capitalised(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sharedNames(shared) {
  return shared.length ? shared.map((item) => t(`counsellor.item-short.${item}`)).join(', ') : t('counsellor.item-short.none');
}

// --- The counsellor's side --------------------------------------------------------------------------

async function people() {
  let list;
  try { list = await get('/v1/counsellor/people'); } catch (error) { return h('div', {}, title(t('counsellor.title')), errorBlock(error)); }
  return h('div', {},
    title(t('counsellor.title'), t('counsellor.intro')),
    list.length
      ? h('ul', { class: 'cards' }, list.map((p) => h('li', { class: 'card' },
        h('h2', {}, h('a', { href: `/counsellor/people/${p.user_id}` }, p.first_name || t('counsellor.someone'))),
        h('p', { class: 'meta' }, t('counsellor.since', { date: formatDate(p.since) })),
        h('p', { class: 'meta' }, t('counsellor.shares', { items: sharedNames(p.shared || []) })))))
      : h('div', { class: 'notice' }, h('p', {}, t('counsellor.none')), h('p', {}, t('counsellor.how'))));
}

function ended(error) {
  const date = error.params && error.params.ended_at;
  return h('div', {},
    title(t('counsellor.ended-title')),
    h('p', { class: 'notice', role: 'status' }, date ? t('counsellor.ended', { date: formatDate(date) }) : t('counsellor.ended-undated')),
    h('p', {}, h('a', { href: '/counsellor' }, t('counsellor.back'))));
}

function diagnosisSection(d, project, g) {
  const headingId = uid('diagnosis');
  return h('section', { class: 'card', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, project ? t('counsellor.diagnosis-of', { project }) : t('counsellor.diagnosis')),
    h('p', {}, h('strong', {}, d.main_challenge
      ? t('counsellor.priority', { label: t(`counsellor.challenge.${d.main_challenge}`, g) })
      : t('counsellor.no-priority'))),
    d.overall_score !== null && d.overall_score !== undefined && h('p', {}, t('counsellor.score', { score: d.overall_score })),
    d.challenges.length > 0 && h('ul', {}, d.challenges.map((c) => h('li', {},
      `${capitalised(t(`counsellor.challenge.${c.challenge}`, g))} : ${t(`counsellor.status.${c.status}`, g)}`))),
    d.missing_fields.length > 0 && h('p', { class: 'meta' }, t('counsellor.missing-answers', { count: d.missing_fields.length, ...g })),
    d.contains_estimates && h('p', { class: 'meta' }, t('counsellor.estimates')),
    d.diagnosed_at && h('p', { class: 'meta' }, t('counsellor.diagnosed-on', { date: formatDate(d.diagnosed_at) })));
}

function frustrationsSection(codes, g) {
  const headingId = uid('hard');
  const sentence = (code) => (has(`counsellor.frustration.${code}`) ? t(`counsellor.frustration.${code}`, g) : label('frustrations', code));
  return h('section', { class: 'card', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('counsellor.hard', g)),
    codes.length ? h('ul', {}, codes.map((code) => h('li', {}, sentence(code)))) : h('p', {}, t('counsellor.hard-none', g)));
}

function progressSection(p, g) {
  const headingId = uid('progress');
  const nothing = p.done + p.due_not_done + p.stuck + p.set_aside === 0;
  return h('section', { class: 'card', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('counsellor.progress-of', g)),
    nothing ? h('p', {}, t('counsellor.no-plan')) : h('ul', {},
      h('li', {}, t('counsellor.done', { count: p.done, recent: p.done_last_7_days })),
      p.last_done_on && h('li', {}, t('counsellor.last-done', { date: formatDate(p.last_done_on) })),
      h('li', {}, t('counsellor.due-not-done', { count: p.due_not_done })),
      p.stuck > 0 && h('li', {}, t('counsellor.stuck', { count: p.stuck })),
      p.set_aside > 0 && h('li', {}, t('counsellor.set-aside', { count: p.set_aside }))));
}

async function person(ctx) {
  let found;
  try { found = await get(`/v1/counsellor/people/${encodeURIComponent(ctx.params.id)}`); } catch (error) {
    if (error instanceof ApiError && error.code === 'sharing_ended') return ended(error);
    return h('div', {}, title(t('counsellor.person')), errorBlock(error), h('p', {}, h('a', { href: '/counsellor' }, t('counsellor.back'))));
  }
  const s = found.summary;
  const name = s.first_name || t('counsellor.someone');
  const g = { gender: s.gender || 'UNKNOWN', name };
  const shared = new Set(found.shared || []);
  const notShared = ITEMS.filter((item) => !shared.has(item));
  const projectName = (id) => {
    const p = s.projects.find((x) => x.project_id === id);
    return p && p.job_title ? t('counsellor.project-name', { job: p.job_title, city: p.city_name || '—' }) : null;
  };
  return h('div', {},
    title(name, t('counsellor.read-only-name', { name })),
    h('section', { class: 'card' },
      h('h2', {}, t('counsellor.summary')),
      h('ul', {},
        h('li', {}, t('counsellor.registered', { date: formatDate(s.registered_at) })),
        s.projects.map((p) => h('li', {}, t('counsellor.project', { job: p.job_title || p.rome_code || '—', city: p.city_name || '—' }))),
        s.action_pace && h('li', {}, t('counsellor.pace-of', { pace: label('pace', s.action_pace), ...g })))),
    shared.has('diagnosis') && (found.diagnoses || []).map((d) => diagnosisSection(d, projectName(d.project_id), g)),
    shared.has('diagnosis') && !(found.diagnoses || []).length && h('p', {}, t('counsellor.no-diagnosis')),
    shared.has('frustrations') && frustrationsSection(s.frustrations || [], g),
    shared.has('plan-progress') && found.plan_progress && progressSection(found.plan_progress, g),
    notShared.length > 0 && h('p', { class: 'meta' }, t('counsellor.not-shared', {
      name, items: notShared.map((item) => t(`counsellor.item.${item}`, g)).join(', '),
    })),
    h('p', {}, h('a', { href: '/counsellor' }, t('counsellor.back'))));
}

// --- The job seeker's side: what each counsellor reads ---------------------------------------------

function itemOptions() {
  return ITEMS.map((item) => ({ value: item, label: t(`sharing.item.${item}`), hint: t(`sharing.item-hint.${item}`) }));
}

function counsellorCard(ctx, c, status) {
  const name = c.first_name || t('settings.counsellor');
  const headingId = uid('counsellor');
  const saved = h('div', { 'aria-live': 'polite' });
  const form = h('form', {},
    formAlert(),
    choiceGroup({ name: 'shared', legend: t('sharing.what', { name }), multiple: true, value: c.shared, options: itemOptions() }),
    h('button', { type: 'submit', class: 'button secondary' }, t('sharing.save')));
  onSubmit(form, async () => {
    await put(`/v1/me/counsellors/${encodeURIComponent(c.counsellor_id)}/sharing`, { shared: checked(form, 'shared', { multiple: true }) });
    replace(saved, success(t('sharing.saved', { name })));
  });
  const confirmBox = h('div', { hidden: true },
    h('p', { class: 'alert' }, t('sharing.stop-warning', { name })),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button danger small', on: { click: async () => {
        await del(`/v1/me/counsellors/${encodeURIComponent(c.counsellor_id)}`);
        ctx.rerender();
      } } }, t('sharing.stop-confirm')),
      h('button', { type: 'button', class: 'button secondary small', on: { click: () => {
        confirmBox.hidden = true;
        stop.setAttribute('aria-expanded', 'false');
        stop.focus();
      } } }, t('action.cancel'))));
  const stop = h('button', { type: 'button', class: 'button link', 'aria-expanded': 'false', 'aria-describedby': headingId, on: { click: () => {
    confirmBox.hidden = false;
    stop.setAttribute('aria-expanded', 'true');
    confirmBox.querySelector('button.secondary').focus(); // the safe choice first
  } } }, t('settings.counsellor-revoke'));
  return h('li', { class: 'card' },
    h('h2', { id: headingId }, name),
    h('p', { class: 'meta' }, t('sharing.since', { date: formatDate(c.since) })),
    form, saved, h('p', {}, stop), confirmBox, status);
}

function invitationSection() {
  const headingId = uid('invite');
  const shown = h('div', { 'aria-live': 'polite' });
  const form = h('form', {},
    formAlert(),
    choiceGroup({ name: 'shared', legend: t('sharing.invite-what'), multiple: true, value: DEFAULT_ITEMS, options: itemOptions() }),
    h('button', { type: 'submit', class: 'button' }, t('settings.invite')));
  onSubmit(form, async () => {
    const created = await post('/v1/me/counsellor-invitations', { shared: checked(form, 'shared', { multiple: true }) });
    const inputId = uid('invitation');
    const input = h('input', { id: inputId, type: 'text', readonly: true, value: created.link });
    replace(shown,
      h('label', { for: inputId }, t('settings.invitation-link')),
      h('div', { class: 'copy-row' }, input,
        h('button', { type: 'button', class: 'button small', on: { click: async (event) => {
          input.select();
          try { await navigator.clipboard.writeText(created.link); event.target.textContent = t('settings.copied'); } catch { /* selected: the person can copy */ }
        } } }, t('settings.copy'))),
      h('p', { class: 'hint' }, t('settings.invitation-expires', { date: formatDate(created.expires_at) })));
  });
  return h('section', { class: 'card', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('sharing.invite-title')), form, shown);
}

async function sharing(ctx) {
  let list;
  try { list = await get('/v1/me/counsellors'); } catch (error) { return h('div', {}, title(t('sharing.title')), errorBlock(error)); }
  const status = h('div', { 'aria-live': 'polite' });
  return h('div', {},
    title(t('sharing.title'), t('sharing.intro')),
    h('p', { class: 'meta' }, t('sharing.always')),
    list.length
      ? h('ul', { class: 'cards' }, list.map((c) => counsellorCard(ctx, c, status)))
      : h('p', {}, t('settings.no-counsellor')),
    invitationSection(),
    h('p', {}, h('a', { href: '/settings' }, t('sharing.to-settings'))));
}

export async function render(ctx) {
  if (ctx.view === 'sharing') return sharing(ctx);
  return ctx.view === 'person' ? person(ctx) : people();
}
